// The CycleGAN step and its checkpoints: exact resume, the pool rule, and the loss bookkeeping.

import Foundation
import Testing
import TestSupport
import TranslationTestSupport
import Translation

func syntheticBatch(_ step: Int, domain: UInt64) -> Tensor {
  randomTensor([1, 3, 32, 32], seed: UInt64(step) &* 31 &+ domain)
}

@Suite struct CycleGANTests {
  @Test func resumingFromACheckpointGivesTheSameWeightsAsTrainingStraightThrough() throws {
    let k = 4
    var straight = CycleGAN(tinyConfiguration())
    for s in 0..<(2 * k) { _ = straight.trainingStep(realA: syntheticBatch(s, domain: 1), realB: syntheticBatch(s, domain: 2)) }

    var first = CycleGAN(tinyConfiguration())
    for s in 0..<k { _ = first.trainingStep(realA: syntheticBatch(s, domain: 1), realB: syntheticBatch(s, domain: 2)) }
    let path = temporaryPath("resume.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var progress = TrainingProgress()
    progress.step = k
    try first.saveCheckpoint(to: path, progress: progress)
    var (resumed, restored) = try CycleGAN.loadCheckpoint(from: path)
    #expect(restored == progress)
    for s in k..<(2 * k) { _ = resumed.trainingStep(realA: syntheticBatch(s, domain: 1), realB: syntheticBatch(s, domain: 2)) }

    for ((prefix, a), (_, b)) in zip(straight.networks, resumed.networks) {
      for (x, y) in zip(a.stateDict(), b.stateDict()) {
        #expect(x.tensor == y.tensor, "\(prefix).\(x.name) differs after resume")
      }
    }
    #expect(straight.poolA.images == resumed.poolA.images && straight.poolB.rng == resumed.poolB.rng)
    #expect(straight.optimizerG.state.tensors.map(\.tensor) == resumed.optimizerG.state.tensors.map(\.tensor))
  }

  @Test func stepReportsEightFiniteLossesAndMovesEveryNetwork() {
    var model = CycleGAN(tinyConfiguration())
    let before = model.networks.map { $0.layer.stateDict().map(\.tensor) }
    let losses = model.trainingStep(realA: syntheticBatch(0, domain: 1), realB: syntheticBatch(0, domain: 2))
    #expect(losses.allFinite && losses.values.prefix(8).allSatisfy { $0 > 0 })
    #expect(losses.styleA == 0 && losses.styleB == 0)  // style off by default
    for (i, net) in model.networks.enumerated() {
      #expect(net.layer.stateDict().map(\.tensor) != before[i], "\(net.prefix) did not change")
    }
    let noIdentity = CycleGAN(tinyConfiguration(identity: 0))
    var m2 = noIdentity
    let l2 = m2.trainingStep(realA: syntheticBatch(0, domain: 1), realB: syntheticBatch(0, domain: 2))
    #expect(l2.identityA == 0 && l2.identityB == 0)
  }

  @Test func imagePoolFillsThenSwapsHalfTheTime() {
    var pool = ImagePool(capacity: 4, seed: 1)
    for i in 0..<4 {
      let t = Tensor(repeating: Float(i), shape: [1, 1, 1, 1])
      #expect(pool.query(t) == t)  // filling: returned as is
    }
    var swapped = 0
    for i in 4..<1004 {
      let t = Tensor(repeating: Float(i), shape: [1, 1, 1, 1])
      if pool.query(t) != t { swapped += 1 }
    }
    #expect(pool.images.count == 4)
    #expect(abs(swapped - 500) < 60, "\(swapped) of 1000 swapped")
  }

  @Test func aCheckpointFromAnotherFormatIsRefusedByName() throws {
    let path = temporaryPath("other.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SafeTensors.write([("x", Tensor(zeros: [1]))], metadata: ["format": "something-else"], to: path)
    #expect(throws: CheckpointError.invalid(path: path, reason: "format is 'something-else'")) {
      _ = try CycleGAN.loadCheckpoint(from: path)
    }
  }
}
