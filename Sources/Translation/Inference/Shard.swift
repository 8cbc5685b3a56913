// Splitting a conversion over processes: `--shard i/n` for array jobs (Slurm --array, Kubernetes indexed jobs,
// GNU parallel) and the ranks of an MPI job; both together split each shard again by rank. The split is
// round-robin over the sorted item list, so every shard gets a fair mix of the folders.

import Distributed
import Foundation

/// Part `index` (0-based) of `count` disjoint parts of a job: item k belongs to part k mod count.
public struct Shard: Equatable, Sendable {
  public let index: Int, count: Int

  /// The whole job.
  public static let whole = Shard(checked: 0, 1)

  public init(index: Int, count: Int) throws(ShardError) {
    guard count >= 1 else { throw .invalid("the number of shards must be at least 1, got \(count)") }
    guard (0..<count).contains(index) else {
      throw .invalid("the shard index must be in 0…\(count - 1) (0-based), got \(index)")
    }
    self.init(checked: index, count)
  }

  private init(checked index: Int, _ count: Int) { (self.index, self.count) = (index, count) }

  /// Parses `i/n`.
  public init(parsing text: String) throws(ShardError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
      throw .invalid("'\(text)' is not INDEX/COUNT, e.g. 0/4 for the first of four shards")
    }
    try self.init(index: i, count: n)
  }

  public func holds(_ item: Int) -> Bool { item % count == index }

  /// This shard split again among `ranks` processes: rank r takes the items k ≡ index + count·r (mod count·ranks),
  /// all of which belong to this shard.
  public func split(rank: Int, of ranks: Int) -> Shard { Shard(checked: index + count * rank, count * ranks) }
}

public enum ShardError: Error, CustomStringConvertible, Equatable {
  /// A --shard value that names no part.
  case invalid(String)
  public var description: String {
    switch self {
    case .invalid(let message): "--shard: \(message)"
    }
  }
}

extension TranslationSummary {
  /// What a rank sends: its totals and failures.
  private struct Part: Codable {
    let total: Int, translated: Int, skipped: Int, failed: Int, seconds: Double
    let failures: [Failure]
  }

  /// Every rank's summary merged, on every rank: totals and failures added up (failures in rank order), the
  /// longest wall time.
  public func merged(over ranks: any Communicator) throws -> TranslationSummary {
    guard ranks.size > 1 else { return self }
    let mine = Part(
      total: total, translated: translated, skipped: skipped, failed: failed, seconds: seconds, failures: failures)
    let parts = try ranks.gather(Array(try JSONEncoder().encode(mine))).map {
      try JSONDecoder().decode(Part.self, from: Data($0))
    }
    var all = TranslationSummary(total: parts.reduce(0) { $0 + $1.total })
    for part in parts {
      all.translated += part.translated
      all.skipped += part.skipped
      all.failed += part.failed
      all.failures += part.failures
      all.seconds = max(all.seconds, part.seconds)
    }
    return all
  }
}
