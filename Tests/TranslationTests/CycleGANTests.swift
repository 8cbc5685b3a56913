// The CycleGAN step and its checkpoints: exact resume, the pool rule, the loss bookkeeping, and junyanz's
// names at the file boundary (checkpoint prefixes, losses.csv columns).

import Foundation
import TestSupport
import Testing
import TranslationTestSupport

@testable import Translation

func syntheticBatch(_ step: Int, domain: UInt64) -> Tensor {
  randomTensor([1, 3, 32, 32], seed: UInt64(step) &* 31 &+ domain)
}

@Suite struct CycleGANTests {
  @Test func resumingFromACheckpointGivesTheSameWeightsAsTrainingStraightThrough() throws {
    let k = 4
    var straight = CycleGAN(tinyConfiguration())
    for s in 0..<(2 * k) {
      _ = straight.trainingStep(realA: syntheticBatch(s, domain: 1), realB: syntheticBatch(s, domain: 2))
    }

    var first = CycleGAN(tinyConfiguration())
    for s in 0..<k { _ = first.trainingStep(realA: syntheticBatch(s, domain: 1), realB: syntheticBatch(s, domain: 2)) }
    let path = temporaryPath("resume.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var progress = TrainingProgress()
    progress.step = k
    try first.saveCheckpoint(to: path, progress: progress)
    var (resumed, restored) = try CycleGAN.loadCheckpoint(from: path)
    #expect(restored == progress)
    for s in k..<(2 * k) {
      _ = resumed.trainingStep(realA: syntheticBatch(s, domain: 1), realB: syntheticBatch(s, domain: 2))
    }

    for ((prefix, a), (_, b)) in zip(straight.networks, resumed.networks) {
      for (x, y) in zip(a.stateDict(), b.stateDict()) {
        #expect(x.tensor == y.tensor, "\(prefix).\(x.name) differs after resume")
      }
    }
    #expect(straight.poolA.images == resumed.poolA.images && straight.poolB.rng == resumed.poolB.rng)
    #expect(straight.optimizerG.state.tensors.map(\.tensor) == resumed.optimizerG.state.tensors.map(\.tensor))
  }

  @Test func stepReportsEachDirectionsFiniteLossesAndMovesEveryNetwork() {
    var model = CycleGAN(tinyConfiguration())
    let before = model.networks.map { $0.layer.stateDict().map(\.tensor) }
    let losses = model.trainingStep(realA: syntheticBatch(0, domain: 1), realB: syntheticBatch(0, domain: 2))
    #expect(losses.allFinite)
    for d in [losses.aToB, losses.bToA] {
      #expect(d.adversarial > 0 && d.cycle > 0 && d.identity > 0 && d.discriminator > 0, "\(d)")
      #expect(d.style == 0)  // style off by default
    }
    for (i, net) in model.networks.enumerated() {
      #expect(net.layer.stateDict().map(\.tensor) != before[i], "\(net.prefix) did not change")
    }
    let noIdentity = CycleGAN(tinyConfiguration(identity: 0))
    var m2 = noIdentity
    let l2 = m2.trainingStep(realA: syntheticBatch(0, domain: 1), realB: syntheticBatch(0, domain: 2))
    #expect(l2.aToB.identity == 0 && l2.bToA.identity == 0)
  }

  @Test func batchedGeneratorCallsGiveTheGradientsOfSixSeparateOnes() {
    // Without dropout the six generator calls run as three batches (CycleGAN.swift); only summation orders may
    // differ from junyanz's six calls. Compared: the losses and the generators'
    // gradients (Adam's first step, ±lr whatever the gradient's size, would hide a wrong one in the weights).
    let c = tinyConfiguration(dropout: false)
    var joint = CycleGAN(c)
    var separate = CycleGAN(c)
    let (a, b) = (syntheticBatch(0, domain: 1), syntheticBatch(0, domain: 2))
    let l1 = joint.trainingStep(realA: a, realB: b)
    let l2 = CycleGAN.$joinsIdentityPasses.withValue(false) { separate.trainingStep(realA: a, realB: b) }
    for (x, y) in [(l1.aToB, l2.aToB), (l1.bToA, l2.bToA)] {
      for (u, v) in [(x.adversarial, y.adversarial), (x.cycle, y.cycle), (x.identity, y.identity)] {
        #expect(abs(u - v) <= 1e-6 * abs(v) && v > 0, "loss \(u) vs \(v)")
      }
    }
    for (g1, g2) in [(joint.generatorAtoB, separate.generatorAtoB), (joint.generatorBtoA, separate.generatorBtoA)] {
      let pairs = zip(g1.parameters, g2.parameters).map { ($0.variable.grad!, $1.variable.grad!) }
      let largest = pairs.map { maxAbs($0.1) }.max()!
      for (p, (u, v)) in zip(g1.parameters, pairs) {
        let scale = max(maxAbs(v), 1e-3 * largest)
        #expect(maxAbsDifference(u, v) <= 1e-5 * scale, "\(p.name): max |Δ| \(maxAbsDifference(u, v)) of \(scale)")
      }
    }
  }

  @Test func eachDirectionsLossesUseItsOwnWeights() {
    // junyanz: cycle_A (A → B → A) weighs λ_A; idt_A (G_A on B images) weighs λ_B · λ_identity.
    var c = tinyConfiguration()
    c.lambdaA = 0
    var noCycleA = CycleGAN(c)
    let l = noCycleA.trainingStep(realA: syntheticBatch(0, domain: 1), realB: syntheticBatch(0, domain: 2))
    #expect(l.aToB.cycle == 0 && l.bToA.cycle > 0 && l.bToA.identity == 0 && l.aToB.identity > 0)
  }

  @Test func filesUseJunyanzNamesForTheNetworksTheCodeNamesByDomain() throws {
    let model = CycleGAN(tinyConfiguration())
    let path = temporaryPath("names.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try model.saveCheckpoint(to: path, progress: TrainingProgress())
    let file = try SafeTensors.read(path)
    // G_A translates A → B; D_A judges G_A's outputs, images of domain B.
    let expected = [
      ("G_A", model.generatorAtoB), ("G_B", model.generatorBtoA), ("D_A", model.discriminatorOfB),
      ("D_B", model.discriminatorOfA),
    ]
    for (prefix, layer) in expected {
      for (name, tensor) in layer.stateDict() {
        #expect(try file.tensor("\(prefix).\(name)") == tensor, "\(prefix).\(name)")
      }
    }
  }

  @Test func lossLogKeepsJunyanzColumnsAndReadsEveryLossBackByName() throws {
    #expect(
      TrainingLog.header(columns: CycleGANLosses.columnNames)
        == "step,epoch,iteration,seconds,learning_rate,D_A,G_A,cycle_A,idt_A,D_B,G_B,cycle_B,idt_B,style_A,style_B")
    var losses = CycleGANLosses()
    for (i, column) in CycleGANLosses.columns.enumerated() { losses[keyPath: column.loss] = Float(i) + 0.5 }
    #expect(
      losses.aToB.discriminator == 0.5 && losses.aToB.adversarial == 1.5 && losses.bToA.identity == 7.5
        && losses.aToB.style == 8.5 && losses.bToA.style == 9.5)
    let url = URL(fileURLWithPath: temporaryPath("losses.csv"))
    defer { try? FileManager.default.removeItem(at: url) }
    let record = LossRecord(step: 1, epoch: 1, iteration: 1, seconds: 0.25, learningRate: 2e-4, losses: losses)
    try TrainingLog(url: url, columns: CycleGANLosses.columnNames, keepThrough: 0).append(record)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.split(separator: "\n")[1] == "1,1,1,0.250,0.0002,0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5")
    #expect(try TrainingLog(url: url, columns: CycleGANLosses.columnNames, keepThrough: 1).records == [record])
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
