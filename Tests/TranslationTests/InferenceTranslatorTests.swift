// Inference on one image: exact size for odd and tiny sizes, alpha, 16-bit and gray kept, and tiled output
// matching untiled output (the 2/255 bound of issue 6) with whole-image InstanceNorm statistics.

import Foundation
import Testing
@testable import Translation

/// A generator with N(0, gain²) weights: gain ≈ 1/√(fan-in of the last conv) spreads outputs over the range, so
/// that equivalence tests are neither satisfied by flat gray nor by saturated (tanh ±1) outputs.
func randomGenerator(_ architecture: GeneratorArchitecture, seed: UInt64 = 3, gain: Float = 0.05) -> any Layer {
  let net = architecture.build(seed: seed)
  var rng = SeededGenerator(seed: seed)
  initializeWeights(net, .normal, gain: gain, using: &rng)
  return net
}

/// Smooth colour gradients plus noise, so every layer sees structure at several scales.
func testImage(width: Int, height: Int, channels: Int = 3, bitDepth: Int = 8, seed: UInt64 = 5) -> Image {
  var rng = SeededGenerator(seed: seed)
  let top = Double(bitDepth == 8 ? 255 : 65535)
  var samples = [UInt16](repeating: 0, count: width * height * channels)
  for y in 0..<height {
    for x in 0..<width {
      for c in 0..<channels {
        let wave = 0.5 + 0.35 * sin(Double(x) / Double(9 + 4 * c)) * cos(Double(y) / Double(13 - 3 * c))
        let v = min(1, max(0, wave + 0.15 * (Double(rng.nextUnitFloat()) - 0.5)))
        samples[(y * width + x) * channels + c] = UInt16((v * top).rounded())
      }
    }
  }
  return Image(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
}

func maxDifference(_ a: Image, _ b: Image) -> Int {
  zip(a.samples, b.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

func standardDeviation(_ image: Image) -> Double {
  let values = image.samples.map { Double($0) }
  let mean = values.reduce(0, +) / Double(values.count)
  return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
}

let smallResnet = GeneratorArchitecture.resnet(inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 3,
                                               norm: .instance, dropout: false, padding: .reflect)

func translator(_ architecture: GeneratorArchitecture = smallResnet, tile: Int? = nil,
                budget: ByteCount = .defaultBudget, halo: Int? = nil) -> ImageTranslator {
  ImageTranslator(generator: randomGenerator(architecture), architecture: architecture,
                  planner: ForwardPlanner(architecture: architecture, budget: budget, tile: tile, halo: halo))
}

@Suite struct InferenceTranslatorTests {
  @Test(arguments: [(37, 23), (5, 3), (1, 1), (64, 48), (9, 130)])
  func outputKeepsTheExactSizeOfOddAndTinyImages(width: Int, height: Int) {
    let (out, _) = translator().translate(testImage(width: width, height: height))
    #expect(out.width == width && out.height == height && out.channels == 3 && out.bitDepth == 8)
  }

  @Test func alphaPassesThroughUntouchedAnd16BitStays16Bit() {
    let rgba = testImage(width: 30, height: 21, channels: 4, bitDepth: 16)
    let (out, _) = translator().translate(rgba)
    #expect(out.channels == 4 && out.bitDepth == 16)
    for p in 0..<rgba.pixelCount { #expect(out.samples[p * 4 + 3] == rgba.samples[p * 4 + 3]) }
    // 16-bit output uses the full range, not 8-bit values scaled up.
    #expect(out.samples.contains { $0 % 257 != 0 })
  }

  @Test func grayStaysGrayForAOneChannelModelAndBecomesRGBForAThreeChannelOne() {
    let gray = testImage(width: 20, height: 12, channels: 2)
    let oneChannel = GeneratorArchitecture.resnet(inChannels: 1, outChannels: 1, baseFilters: 4, blocks: 1,
                                                  norm: .instance, dropout: false, padding: .reflect)
    let (g, _) = translator(oneChannel).translate(gray)
    #expect(g.channels == 2)
    let (rgb, _) = translator().translate(gray)
    #expect(rgb.channels == 4)
  }

  @Test func tiledOutputMatchesUntiledWithinTwoLevels() {
    let image = testImage(width: 200, height: 150)
    let whole = translator()
    let (untiled, plan) = whole.translate(image)
    #expect(plan == .whole)
    let (tiled, tiledPlan) = translator(tile: 64).translate(image)
    guard case let .tiled(grid, statistics) = tiledPlan else { Issue.record("not tiled"); return }
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
    let image = testImage(width: 200, height: 152)
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
      for y in t.core.y..<(t.core.y + t.core.height) { for x in t.core.x..<(t.core.x + t.core.width) { covered[y * 200 + x] += 1 } }
    }
    #expect(covered.allSatisfy { $0 == 1 } && grid.tiles.count == 12)
    #expect(grid.weight(63, coreStart: 0, coreEnd: 64) == 1 && grid.weight(64 + 7, coreStart: 0, coreEnd: 64) > 0)
    #expect(grid.weight(64 + 8, coreStart: 0, coreEnd: 64) == 0 && grid.weight(-9, coreStart: 0, coreEnd: 64) == 0)
  }

  /// Not a check: prints the tiled-vs-untiled difference by halo, the measurement behind `defaultHalo`.
  /// TRANSLATE_MEASURE_HALO=1 swift test -c release --filter haloMeasurement
  @Test(.enabled(if: ProcessInfo.processInfo.environment["TRANSLATE_MEASURE_HALO"] != nil))
  func haloMeasurement() {
    let big = GeneratorArchitecture.preset(.resnet9)
    let image = testImage(width: 384, height: 320)
    for (architecture, name) in [(smallResnet, "resnet3 ngf8"), (big, "resnet9 ngf64")] {
      let net = randomGenerator(architecture, gain: architecture == big ? 0.02 : 0.05)
      func run(_ tile: Int?, _ halo: Int) -> Image {
        ImageTranslator(generator: net, architecture: architecture,
                        planner: ForwardPlanner(architecture: architecture, tile: tile, halo: halo)).translate(image).image
      }
      let reference = run(nil, 0)
      for halo in [0, 8, 16, 32, 64] {
        print("\(name) std \(Int(standardDeviation(reference))): tile 128 halo \(halo): max difference \(maxDifference(run(128, halo), reference))")
      }
    }
  }

  /// Not a check: writes the benchmark inputs of the closing note — a ResNet-9 ngf64 plain state_dict with
  /// N(0, 0.02²) weights and test images — into $TRANSLATE_BENCH_DIR (never committed).
  @Test(.enabled(if: ProcessInfo.processInfo.environment["TRANSLATE_BENCH_DIR"] != nil))
  func writeBenchmarkInputs() throws {
    let folder = ProcessInfo.processInfo.environment["TRANSLATE_BENCH_DIR"]!
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let small = GeneratorArchitecture.preset(.resnet6, baseFilters: 16)
    for (architecture, name) in [(GeneratorArchitecture.preset(.resnet9), "resnet9_ngf64"), (small, "resnet6_ngf16")] {
      try SafeTensors.write(randomGenerator(architecture, gain: 0.02).stateDict(), to: "\(folder)/\(name).safetensors")
    }
    for (w, h) in [(256, 256), (512, 512), (1024, 1024), (1536, 1536), (2048, 2048), (6000, 4000)] {
      try ImageWriter.write(testImage(width: w, height: h), to: "\(folder)/img_\(w)x\(h).png")
    }
  }
}
