// Exact tiled statistics (issue 16): the flattened forward program reproduces each generator, the moments merged
// over regions equal the whole plane's, and tiles normalized with statistics computed tile by tile (from the
// input, or resumed from stored whole-image states) give the untiled output within 2/255 for ResNets
// (transposed, colour transform) and an InstanceNorm U-Net.

import Foundation
import SyntheticScenes
import Testing
import TranslationTestSupport

@testable import Translation

let colourTransformResnet = GeneratorArchitecture.resnet(
  inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 3, norm: .instance, dropout: false, padding: .reflect,
  upsampling: .colourTransform)
let instanceUnet = GeneratorArchitecture.unet(
  inChannels: 3, outChannels: 3, baseFilters: 4, downsamplings: 5, norm: .instance, dropout: false)

@Suite struct ExactTiledStatisticsTests {
  @Test func channelMomentsMergedOverRegionsEqualTheWholePlanes() {
    var rng = SeededGenerator(seed: 5)
    // A large offset: a one-pass Σx² − (Σx)²/n in Float would lose the variance.
    let x = Tensor.uniform([1, 3, 24, 36], low: 999, high: 1001, using: &rng)
    var moments = ChannelMoments(channels: 3)
    for (y0, y1) in [(0, 7), (7, 24)] {
      for (x0, x1) in [(0, 5), (5, 20), (20, 36)] {
        moments.add(x, region: PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
      }
    }
    let merged = moments.statistics(eps: 1e-5)
    for c in 0..<3 {
      let values = (0..<(24 * 36)).map { Double(x.pointer[c * 24 * 36 + $0]) }
      let mean = values.reduce(0, +) / Double(values.count)
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
      #expect(abs(Double(merged.mean[c]) - mean) < 1e-4)
      #expect(abs(Double(merged.invStd[c]) - 1 / (variance + 1e-5).squareRoot()) < 1e-5 * Double(merged.invStd[c]))
    }
  }

  @Test(arguments: [smallResnet, colourTransformResnet, instanceUnet])
  func forwardProgramReproducesTheGenerator(_ architecture: GeneratorArchitecture) throws {
    let generator = randomGenerator(architecture)
    let program = try #require(ForwardProgram(generator))
    var rng = SeededGenerator(seed: 9)
    let x = Tensor.uniform([1, 3, 64, 96], low: -1, high: 1, using: &rng)
    let (expected, statistics) = LayerMode.inference {
      NormStatisticsOverride.recording { generator(Variable(x)).value }
    }
    #expect(program.normSteps.count == statistics.count && !statistics.isEmpty)
    // Stopping at a norm and resuming is the same as running through.
    let middle = program.normSteps[statistics.count / 2]
    let y = LayerMode.inference {
      let half = program.run(ForwardState(step: 0, y: x, saved: []), until: middle, statistics: statistics)
      return program.run(half, until: program.steps.count, statistics: statistics).y
    }
    #expect(y.shape == expected.shape)
    #expect(zip(y.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
  }

  /// The U-Net's receptive field (five 4×4 stride-2 levels down and up) exceeds the ResNets' 64-pixel halo: measured
  /// max 4/255 with halo 64, so it gets 128 (the halo's truncation, not the statistics).
  @Test(arguments: [
    (smallResnet, 200, 152, 64), (colourTransformResnet, 200, 152, 64), (instanceUnet, 224, 160, 128),
  ])
  func exactTiledStatisticsMatchUntiledWithinTwoLevels(
    _ architecture: GeneratorArchitecture, width: Int, height: Int, halo: Int
  ) {
    let image = TestPattern.waves(width: width, height: height)
    let network = translator(architecture)
    let (untiled, plan) = network.translate(image)
    #expect(plan == .whole)
    #expect(standardDeviation(untiled) > 15, "a flat output would make the comparison vacuous")
    let m = architecture.sizeMultiple
    let grid = TileGrid(
      width: width, height: height, core: max(64, m), halo: halo, blend: 16, multiple: m)
    #expect(grid.tiles.count >= 4)
    // Every pass from the input; passes resuming from a whole-image state once the quarter-resolution state fits
    // beside a tile; every pass after the first resuming from a stored state.
    let quarterState = 4 * 2 * (width / 4) * (height / 4) * 4 * 8  // y and a residual, 4·ngf 8 channels
    let tile =
      architecture.forwardBytes(width: grid.core + 2 * halo, height: grid.core + 2 * halo)
      - GeneratorArchitecture.fixedForwardBytes - architecture.parameterBytes
    for stored in [0, tile + quarterState, .max] {
      let tiled = LayerMode.inference {
        network.tiledForward(image, grid: grid, statistics: .tileByTile(storedBytes: stored))
      }
      let difference = maxDifference(Image(tensor: tiled, bitDepth: 8), untiled)
      print(
        "\(architecture): exact tiled statistics (\(grid.tiles.count) tiles, \(stored) bytes stored) vs untiled: max \(difference)/255"
      )
      #expect(difference <= 2)
    }
  }

  /// Through `translate` under a budget just below the whole image's: the planner's tiles, the stored states.
  @Test(arguments: [smallResnet, colourTransformResnet])
  func translationUnderATightBudgetMatchesUntiled(_ architecture: GeneratorArchitecture) {
    let (width, height) = (320, 256)
    let image = TestPattern.waves(width: width, height: height)
    let untiled = translator(architecture).translate(image).image
    let needed =
      architecture.forwardBytes(width: width, height: height) + architecture.imageBytesPerPixel * width * height
    let (tiled, plan) = translator(architecture, budget: ByteCount(bytes: needed - 1)).translate(image)
    guard case .tiled(let grid, .tileByTile) = plan else {
      Issue.record("a budget below the whole image's must tile with exact statistics, got \(plan)")
      return
    }
    #expect(grid.tiles.count >= 4)
    let difference = maxDifference(tiled, untiled)
    print("\(architecture): translate under \(needed - 1) bytes (\(plan)) vs untiled: max \(difference)/255")
    #expect(difference <= 2)
  }

  @Test func plannerComputesExactStatisticsUnlessFastStatisticsAreAsked() {
    let resnet9 = GeneratorArchitecture.preset(.resnet9)
    guard
      case .tiled(let grid, .tileByTile(let stored)) = ForwardPlanner(architecture: resnet9).plan(
        width: 6000, height: 4000)
    else {
      Issue.record("6000×4000 under 2 GiB must be tiled with exact statistics")
      return
    }
    let planner = ForwardPlanner(architecture: resnet9)
    let available = planner.networkBudget(width: 6000, height: 4000)
    let window = grid.core + 2 * grid.halo
    #expect(resnet9.forwardBytes(width: window, height: window) <= available / 2)
    #expect(stored >= 0 && stored + GeneratorArchitecture.fixedForwardBytes + resnet9.parameterBytes <= available)
    let fast = ForwardPlanner(architecture: resnet9, fastStatistics: true).plan(width: 6000, height: 4000)
    guard case .tiled(_, .downscaled) = fast else {
      Issue.record("--fast-statistics must take the statistics from a downscaled copy, got \(fast)")
      return
    }
  }
}
