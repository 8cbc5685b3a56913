// The measurement behind exact tiled statistics (`translate bench statistics`, issue 16): time and distance to
// the untiled output of tiled inference with InstanceNorm statistics computed tile by tile (exact) and taken
// from a downscaled copy (--fast-statistics), on the TestPattern card at a size that needs tiles.

import Foundation
import SyntheticScenes
import Translation

/// One way through the network: its plan, wall time and distance to the untiled output in levels of 255.
public struct StatisticsRow: Sendable, Encodable {
  public let method: String
  public let plan: String
  public let seconds: Double
  public let meanDifference: Double, p99Difference: Int, maxDifference: Int
}

public enum StatisticsBenchmark {
  /// Untiled (unless `untiled` is false: then differences are to the exact tiled output), exact tiled and fast
  /// tiled translations of a width × height card under `budget`. `onRow` sees each row as it is measured.
  public static func run(
    generator: any Layer, architecture: GeneratorArchitecture, width: Int, height: Int, budget: ByteCount,
    untiled: Bool = true, onRow: (StatisticsRow) -> Void = { _ in }
  ) -> [StatisticsRow] {
    let image = TestPattern.waves(width: width, height: height)
    var methods: [(String, ForwardPlanner)] = [
      ("exact", ForwardPlanner(architecture: architecture, budget: budget)),
      ("fast", ForwardPlanner(architecture: architecture, budget: budget, fastStatistics: true)),
    ]
    if untiled {
      methods.insert(("untiled", ForwardPlanner(architecture: architecture, budget: .init(bytes: 1 << 40))), at: 0)
    }
    var reference: Image?
    var rows: [StatisticsRow] = []
    for (name, planner) in methods {
      let start = Date()
      let (out, plan) = ImageTranslator(generator: generator, architecture: architecture, planner: planner)
        .translate(image)
      let seconds = Date().timeIntervalSince(start)
      let differences =
        reference.map { r in zip(out.samples, r.samples).map { abs(Int($0) - Int($1)) }.sorted() } ?? [0]
      if reference == nil { reference = out }
      let row = StatisticsRow(
        method: name, plan: plan.description, seconds: seconds,
        meanDifference: Double(differences.reduce(0, +)) / Double(differences.count),
        p99Difference: differences[differences.count * 99 / 100], maxDifference: differences.last ?? 0)
      onRow(row)
      rows.append(row)
    }
    return rows
  }
}
