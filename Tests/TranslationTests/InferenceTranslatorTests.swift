// Inference on one image: exact size for odd and tiny sizes, alpha, 16-bit and gray kept, and tiled output
// matching untiled output (the 2/255 bound of issue 6) with whole-image InstanceNorm statistics.

import Foundation
import SyntheticScenes
import Testing
import TranslationTestSupport

@testable import Translation

func standardDeviation(_ image: Image) -> Double {
  let values = image.samples.map { Double($0) }
  let mean = values.reduce(0, +) / Double(values.count)
  return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
}

let smallResnet = GeneratorArchitecture.resnet(
  inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 3,
  norm: .instance, dropout: false, padding: .reflect)

func translator(
  _ architecture: GeneratorArchitecture = smallResnet, tile: Int? = nil,
  budget: ByteCount = .defaultBudget, halo: Int? = nil
) -> ImageTranslator {
  ImageTranslator(
    generator: randomGenerator(architecture), architecture: architecture,
    planner: ForwardPlanner(architecture: architecture, budget: budget, tile: tile, halo: halo))
}

@Suite struct InferenceTranslatorTests {
  @Test(arguments: [(37, 23), (5, 3), (1, 1), (64, 48), (9, 130)])
  func outputKeepsTheExactSizeOfOddAndTinyImages(width: Int, height: Int) {
    let (out, _) = translator().translate(TestPattern.waves(width: width, height: height))
    #expect(out.width == width && out.height == height && out.channels == 3 && out.bitDepth == 8)
  }

  @Test func alphaPassesThroughUntouchedAnd16BitStays16Bit() {
    let rgba = TestPattern.waves(width: 30, height: 21, channels: 4, bitDepth: 16)
    let (out, _) = translator().translate(rgba)
    #expect(out.channels == 4 && out.bitDepth == 16)
    for p in 0..<rgba.pixelCount { #expect(out.samples[p * 4 + 3] == rgba.samples[p * 4 + 3]) }
    // 16-bit output uses the full range, not 8-bit values scaled up.
    #expect(out.samples.contains { $0 % 257 != 0 })
  }

  @Test func grayStaysGrayForAOneChannelModelAndBecomesRGBForAThreeChannelOne() {
    let gray = TestPattern.waves(width: 20, height: 12, channels: 2)
    let oneChannel = GeneratorArchitecture.resnet(
      inChannels: 1, outChannels: 1, baseFilters: 4, blocks: 1,
      norm: .instance, dropout: false, padding: .reflect)
    let (g, _) = translator(oneChannel).translate(gray)
    #expect(g.channels == 2)
    let (rgb, _) = translator().translate(gray)
    #expect(rgb.channels == 4)
  }

  @Test func tiledOutputMatchesUntiledWithinTwoLevels() {
    let image = TestPattern.waves(width: 200, height: 150)
    let whole = translator()
    let (untiled, plan) = whole.translate(image)
    #expect(plan == .whole)
    let (tiled, tiledPlan) = translator(tile: 64).translate(image)
    guard case .tiled(let grid, let statistics) = tiledPlan else {
      Issue.record("not tiled")
      return
    }
    #expect(grid.tiles.count >= 3 && statistics == .fullResolution)
    #expect(standardDeviation(untiled) > 20, "a flat output would make the comparison vacuous")
    let difference = maxDifference(tiled, untiled)
    print("tiled (\(tiledPlan)) vs untiled: max difference \(difference)/255")
    #expect(difference <= 2)
  }

  /// The fallback for images whose full-resolution pass does not fit: statistics from a half-size copy. Not
  /// exact: this image's 15 % pixel noise vanishes when downscaled, so the first layers' variances shrink
  /// (measured: mean difference 21, max 151 of 255 with random weights). The bound only guards the path.
  @Test func downscaledStatisticsStayCloseToTheWholeImageStatistics() {
    let image = TestPattern.waves(width: 200, height: 152)
    let (untiled, _) = translator().translate(image)
    let grid = TileGrid(width: 200, height: 152, core: 64, halo: 64, blend: 16, multiple: 4)
    let y = LayerMode.inference {
      translator().tiledForward(image, grid: grid, statistics: .downscaled(width: 100, height: 76))
    }
    let out = Image(tensor: y, bitDepth: 8)
    let differences = zip(out.samples, untiled.samples).map { abs(Int($0) - Int($1)) }
    let mean = Double(differences.reduce(0, +)) / Double(differences.count)
    print("downscaled (half-size) statistics vs untiled: mean difference \(mean), max \(differences.max() ?? 0) of 255")
    #expect(mean < 32 && out.width == 200 && out.height == 152)
  }

  @Test func tilesCoverTheImageExactlyOnceWithAlignedWindows() {
    let grid = TileGrid(width: 200, height: 152, core: 64, halo: 16, blend: 8, multiple: 4)
    var covered = [Int](repeating: 0, count: 200 * 152)
    for t in grid.tiles {
      #expect(t.window.x % 4 == 0 && t.window.y % 4 == 0 && t.window.width % 4 == 0 && t.window.height % 4 == 0)
      for y in t.core.y..<(t.core.y + t.core.height) {
        for x in t.core.x..<(t.core.x + t.core.width) { covered[y * 200 + x] += 1 }
      }
    }
    #expect(covered.allSatisfy { $0 == 1 } && grid.tiles.count == 12)
    #expect(grid.weight(63, coreStart: 0, coreEnd: 64) == 1 && grid.weight(64 + 7, coreStart: 0, coreEnd: 64) > 0)
    #expect(grid.weight(64 + 8, coreStart: 0, coreEnd: 64) == 0 && grid.weight(-9, coreStart: 0, coreEnd: 64) == 0)
  }
}
