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
public struct TranslationSummary: Sendable, Codable, Equatable {
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
    case let .failed(item, reason):
      failed += 1
      failures.append(Failure(input: item.input, reason: reason))
    }
  }

  /// The summary as one JSON object (sorted keys).
  public func json() -> String {
    struct Output: Encodable {
      let total, translated, skipped, failed: Int
      let failures: [Failure]
      let seconds, imagesPerSecond: Double
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let value = Output(total: total, translated: translated, skipped: skipped, failed: failed, failures: failures,
                       seconds: (seconds * 1000).rounded() / 1000, imagesPerSecond: (imagesPerSecond * 1000).rounded() / 1000)
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}
