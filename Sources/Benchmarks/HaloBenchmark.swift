// The measurement behind ForwardPlanner.defaultHalo (`translate bench halo`): how far tiled inference is from
// the untiled output as the halo grows, for generators with random weights on the TestPattern card, with
// full-resolution InstanceNorm statistics. A constant's evidence, not a timing.

import SyntheticScenes
import Translation

/// One network and halo: the largest difference of the tiled output to the untiled one, in levels of 255.
public struct HaloRow: Sendable, Encodable {
  public let network: String
  /// Standard deviation of the untiled output's samples: a flat output would make the comparison vacuous.
  public let outputDeviation: Double
  public let tile: Int, halo: Int
  public let maxDifference: Int
}

public enum HaloBenchmark {
  public static let halos = [0, 8, 16, 32, 64]

  /// ResNet-3 ngf8 with N(0, 0.05²) weights and ResNet-9 ngf64 with N(0, 0.02²) weights, on a width × height
  /// card cut into tile-pixel cores, for each of `halos`. `onRow` sees each row as it is measured.
  public static func run(
    width: Int = 384, height: Int = 320, tile: Int = 128,
    onRow: (HaloRow) -> Void = { _ in }
  ) -> [HaloRow] {
    let image = TestPattern.waves(width: width, height: height)
    let small = GeneratorArchitecture.resnet(
      inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 3, norm: .instance,
      dropout: false, padding: .reflect)
    var rows: [HaloRow] = []
    for (architecture, name, gain) in [
      (small, "resnet3 ngf8", Float(0.05)), (.preset(.resnet9), "resnet9 ngf64", 0.02),
    ] {
      let generator = architecture.build(seed: 3)
      var rng = SeededGenerator(seed: 3)
      initializeWeights(generator, .normal, gain: gain, using: &rng)
      func translate(tile: Int?, halo: Int) -> Image {
        ImageTranslator(
          generator: generator, architecture: architecture,
          planner: ForwardPlanner(architecture: architecture, tile: tile, halo: halo)
        ).translate(image).image
      }
      let reference = translate(tile: nil, halo: 0)
      for halo in halos {
        let tiled = translate(tile: tile, halo: halo)
        let difference = zip(tiled.samples, reference.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
        let row = HaloRow(
          network: name, outputDeviation: deviation(reference.samples), tile: tile, halo: halo,
          maxDifference: difference)
        onRow(row)
        rows.append(row)
      }
    }
    return rows
  }

  static func deviation(_ samples: [UInt16]) -> Double {
    let mean = samples.reduce(0.0) { $0 + Double($1) } / Double(max(samples.count, 1))
    return (samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(samples.count, 1)))
      .squareRoot()
  }
}
