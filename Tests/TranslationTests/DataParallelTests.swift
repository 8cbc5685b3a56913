// The data-parallel pieces without mpirun: each rank's share of a batch, the replica agreement check (with a
// scripted communicator), resuming with another number of processes, conversion shards and merged summaries.
// Real two-process runs: TranslateCLITests/MPICLITests.swift.

import Distributed
import Foundation
import Testing
import TranslationTestSupport

@testable import Translation

/// A rank of a scripted job: `gather` answers with `answers` (the other ranks' bytes), `sum` adds `others`.
final class ScriptedCommunicator: Communicator {
  let rank: Int, size: Int
  let answers: @Sendable ([UInt8]) -> [[UInt8]]
  init(rank: Int = 0, size: Int, answers: @escaping @Sendable ([UInt8]) -> [[UInt8]]) {
    (self.rank, self.size, self.answers) = (rank, size, answers)
  }
  func sum(_ buffer: inout [Float]) throws(CommunicationError) {}
  func sum(_ buffer: inout [Double]) throws(CommunicationError) {}
  func gather(_ bytes: [UInt8]) throws(CommunicationError) -> [[UInt8]] { answers(bytes) }
  func finish() {}
}

@Suite struct DataParallelTests {
  @Test func ranksTakeContiguousSharesAndAnIdleRankWeighsNothing() {
    let full = (0..<3).map { BatchShare(perRank: 2, ranks: 3, rank: $0, global: 6) }
    #expect(full.map(\.positions) == [0..<2, 2..<4, 4..<6] && full.map(\.weight) == [1 / 3, 1 / 3, 1 / 3])
    // A short last batch of 3 images: rank 1 gets one, rank 2 none.
    let short = (0..<3).map { BatchShare(perRank: 2, ranks: 3, rank: $0, global: 3) }
    #expect(short.map(\.positions) == [0..<2, 2..<3, 3..<3])
    #expect(short.map(\.weight) == [2 / 3, 1 / 3, 0])
    let batch = Tensor(shape: [3, 1, 1, 1], values: [10, 11, 12])
    #expect(short[1].local(batch).scalars == [12])
    // The idle rank still runs the step (the collectives need it) on the first image, with weight 0.
    #expect(short[2].local(batch).scalars == [10])
    #expect(BatchShare(perRank: 3, ranks: 1, rank: 0, global: 3).local(batch).scalars == [10, 11, 12])
  }

  @Test func divergedReplicasStopTheRunNamingTheRanks() throws {
    let same = Replicas(ScriptedCommunicator(size: 3) { mine in [mine, mine, mine] })
    try same.checkAgreement(hash: 42, step: 10)
    let differs = Replicas(
      ScriptedCommunicator(size: 3) { mine in [mine, mine, withUnsafeBytes(of: UInt64(7).littleEndian) { Array($0) }] })
    #expect(throws: TrainingError.replicasDiverged(step: 10, ranks: [2])) {
      try differs.checkAgreement(hash: 42, step: 10)
    }
    #expect(TrainingError.replicasDiverged(step: 10, ranks: [2]).description.contains("rank(s) 2 differ from rank 0"))
  }

  @Test func theWeightHashSeesEveryParameter() {
    let model = CycleGAN(tinyConfiguration(seed: 1))
    let before = Replicas.hash(model.networks)
    #expect(before == Replicas.hash(CycleGAN(tinyConfiguration(seed: 1)).networks))
    model.discriminatorOfA.parameters.last?.variable.value.withUnsafeMutableBufferPointer { $0[0] += 1e-6 }
    #expect(Replicas.hash(model.networks) != before)
  }

  @Test func aRunContinuesWithAnotherNumberOfProcessesAtAWholeStep() throws {
    var saved = TrainingProgress()
    (saved.step, saved.epoch, saved.iteration, saved.ranks) = (5, 2, 3, 2)
    // 3 steps of 2 ranks × batch 2 = 12 images: 6 steps of one process, 3 of two, 2 of three.
    #expect(try Trainer.continued(saved, batchSize: 2, ranks: 1).iteration == 6)
    #expect(try Trainer.continued(saved, batchSize: 2, ranks: 2) == saved)
    #expect(try Trainer.continued(saved, batchSize: 2, ranks: 3).iteration == 2)
    #expect(throws: TrainingError.self) { try Trainer.continued(saved, batchSize: 2, ranks: 4) }
    // A checkpoint from before MPI support is one process's.
    var old = TrainingProgress()
    old.iteration = 4
    #expect(try Trainer.continued(old, batchSize: 1, ranks: 2).iteration == 2)
    old.iteration = 3
    let refusal = #expect(throws: TrainingError.self) { try Trainer.continued(old, batchSize: 1, ranks: 2) }
    #expect(refusal?.description.contains("resume with 1 processes") == true, "\(String(describing: refusal))")
  }

  @Test func shardsParseSplitAndCoverEveryItemOnce() throws {
    #expect(try Shard(parsing: "1/4") == Shard(index: 1, count: 4))
    for bad in ["3/2", "2/2", "x", "1", "-1/2", "0/0", "1/2/3", ""] {
      #expect(throws: ShardError.self, "\(bad)") { try Shard(parsing: bad) }
    }
    #expect(throws: ShardError.invalid("the shard index must be in 0…1 (0-based), got 3")) {
      try Shard(parsing: "3/2")
    }
    // Two array shards, each split among three ranks: every item in exactly one part, inside its shard.
    let parts = try (0..<2).flatMap { i in try (0..<3).map { (i, try Shard(index: i, count: 2).split(rank: $0, of: 3)) }
    }
    for item in 0..<20 {
      let owners = parts.filter { $0.1.holds(item) }
      #expect(owners.count == 1 && owners[0].0 == item % 2)
    }
  }

  @Test func aShardOfAJobKeepsEveryInputProtected() throws {
    let folder = try tinyDomains(size: 32).appendingPathComponent("a")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let job = try TranslationJob.plan(inputs: [folder.path], output: folder.deletingLastPathComponent().path + "/out")
    let part = job.part(try Shard(index: 1, count: 2))
    #expect(part.items == job.items.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
    #expect(part.inputFiles == job.inputFiles)
  }

  @Test func ranksSummariesMergeIntoOne() throws {
    var mine = TranslationSummary(total: 3)
    (mine.translated, mine.failed, mine.seconds) = (2, 1, 4)
    mine.failures = [.init(input: "a.png", reason: "bad")]
    var other = TranslationSummary(total: 2)
    (other.translated, other.skipped, other.seconds) = (1, 1, 6)
    let theirs = try sent(other)
    let merged = try mine.merged(over: ScriptedCommunicator(size: 2) { [$0, theirs] })
    #expect(merged.total == 5 && merged.translated == 3 && merged.skipped == 1 && merged.failed == 1)
    #expect(merged.failures.map(\.input) == ["a.png"] && merged.seconds == 6 && !merged.succeeded)
  }

  /// The bytes a rank with summary `s` sends when the summaries are merged.
  private func sent(_ s: TranslationSummary) throws -> [UInt8] {
    final class Box: @unchecked Sendable { var bytes: [UInt8] = [] }
    let box = Box()
    _ = try s.merged(
      over: ScriptedCommunicator(size: 2) { bytes in
        box.bytes = bytes
        return [bytes, bytes]
      })
    return box.bytes
  }
}
