// The outcome of a run: per-file events as they happen and the totals (translated, skipped, failed with
// reasons, throughput), printable as text or JSON for scripts.

import Foundation

/// What happened to one item.
public enum TranslationEvent: Sendable {
  /// Written; `seconds` is the network time.
  case translated(TranslationItem, seconds: Double, plan: String)
  /// The output existed and `--overwrite` was not given.
  case skipped(TranslationItem)
  /// Not written, with the reason (decode, encode or write error).
  case failed(TranslationItem, reason: String)
}

/// Totals of a run.
public struct TranslationSummary: Sendable, Encodable, Equatable {
  public struct Failure: Sendable, Codable, Equatable {
    public let input: String
    public let reason: String
  }

  public var total = 0
  public var translated = 0
  public var skipped = 0
  public var failed = 0
  public var failures: [Failure] = []
  /// Wall time since the start.
  public var seconds = 0.0

  public init(total: Int) { self.total = total }

  /// Items finished so far.
  public var done: Int { translated + skipped + failed }
  /// Translated images per second of wall time.
  public var imagesPerSecond: Double { seconds > 0 ? Double(translated) / seconds : 0 }
  /// Estimated seconds left, from the pace of the items finished so far.
  public var secondsLeft: Double? {
    let worked = translated + failed
    guard worked > 0, seconds > 0 else { return nil }
    return seconds / Double(worked) * Double(total - done)
  }
  /// True when every input was translated or skipped.
  public var succeeded: Bool { failed == 0 && done == total }

  mutating func record(_ event: TranslationEvent) {
    switch event {
    case .translated: translated += 1
    case .skipped: skipped += 1
    case .failed(let item, let reason):
      failed += 1
      failures.append(Failure(input: item.input, reason: reason))
    }
  }

  private enum CodingKeys: String, CodingKey {
    case total, translated, skipped, failed, failures, seconds, imagesPerSecond
  }

  /// The totals, the failures, and the times to the millisecond (`--json`).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(total, forKey: .total)
    try c.encode(translated, forKey: .translated)
    try c.encode(skipped, forKey: .skipped)
    try c.encode(failed, forKey: .failed)
    try c.encode(failures, forKey: .failures)
    try c.encode((seconds * 1000).rounded() / 1000, forKey: .seconds)
    try c.encode((imagesPerSecond * 1000).rounded() / 1000, forKey: .imagesPerSecond)
  }
}
