// Whole-image instance-norm statistics for tiled inference: one pass records every InstanceNorm2d's
// statistics in call order; later passes over tiles normalize with them instead of the tile's own, so that a
// tiled translation matches the untiled one (InstanceNorm normalizes over the whole image).

/// Recorded statistics, one entry per InstanceNorm2d call, in call order. Install with `recording` or `applying`.
public final class NormStatisticsOverride: @unchecked Sendable {
  public enum Mode: Sendable { case record, apply }
  public let mode: Mode
  public private(set) var entries: [NormalizationStatistics]
  private var cursor = 0

  @TaskLocal static var current: NormStatisticsOverride?

  private init(mode: Mode, entries: [NormalizationStatistics]) {
    self.mode = mode
    self.entries = entries
  }

  /// Runs `body` recording the statistics of every InstanceNorm2d it calls.
  public static func recording<R>(_ body: () throws -> R) rethrows -> (result: R, statistics: [NormalizationStatistics])
  {
    let recorder = NormStatisticsOverride(mode: .record, entries: [])
    let r = try $current.withValue(recorder, operation: body)
    return (r, recorder.entries)
  }

  /// Runs `body` with every InstanceNorm2d using `statistics` (in call order) instead of its input's own.
  public static func applying<R>(_ statistics: [NormalizationStatistics], _ body: () throws -> R) rethrows -> R {
    try $current.withValue(NormStatisticsOverride(mode: .apply, entries: statistics), operation: body)
  }

  func record(_ s: NormalizationStatistics) { entries.append(s) }
  func next() -> NormalizationStatistics {
    precondition(cursor < entries.count, "NormStatisticsOverride: more InstanceNorm calls than recorded statistics")
    defer { cursor += 1 }
    return entries[cursor]
  }
}
