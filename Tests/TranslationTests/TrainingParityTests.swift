// Three CycleGAN training steps against PyTorch (scripts/make_training_fixtures.py): junyanz's
// optimize_parameters on four tiny networks from the same initial weights and inputs; every weight after each
// step and the eight losses must match within 1e-5 of the tensor's (or loss's) magnitude.

import Foundation
import TestSupport
import Testing
import Translation

// MARK: The CycleGAN API this file uses, in one place (junyanz's names are the fixture's).

/// The fixture's architecture: ResnetGenerator ngf 2 with 1 block, NLayerDiscriminator ndf 2 with 3 layers,
/// instance norm, no dropout; pool size 0 so the discriminators see this step's fakes (no random choice).
private func fixtureConfiguration() -> CycleGANConfiguration {
  var c = CycleGANConfiguration()
  c.generator = .resnet(
    inChannels: 3, outChannels: 3, baseFilters: 2, blocks: 1, norm: .instance, dropout: false,
    padding: .reflect)
  c.discriminatorFilters = 2
  c.discriminatorLayers = 3
  c.poolSize = 0
  return c
}

/// junyanz's prefixes: G_A: A → B, G_B: B → A, D_A judges domain B, D_B judges domain A.
private func networksByJunyanzPrefix(_ m: CycleGAN) -> [(prefix: String, layer: any Layer)] {
  [("G_A", m.generatorAtoB), ("G_B", m.generatorBtoA), ("D_A", m.discriminatorOfB), ("D_B", m.discriminatorOfA)]
}

private func lossesByJunyanzName(_ l: CycleGANLosses) -> [(name: String, value: Float)] {
  [
    ("D_A", l.aToB.discriminator), ("G_A", l.aToB.adversarial), ("cycle_A", l.aToB.cycle), ("idt_A", l.aToB.identity),
    ("D_B", l.bToA.discriminator), ("G_B", l.bToA.adversarial), ("cycle_B", l.bToA.cycle), ("idt_B", l.bToA.identity),
  ]
}

// MARK: The test

@Suite struct TrainingParityTests {
  static let steps = 3
  static let relativeTolerance: Float = 1e-5
  /// Below this magnitude a tensor is compared absolutely (1e-5 × 1e-3 = 1e-8): a freshly zeroed bias after
  /// one step is ±lr = 2e-4, far above it.
  static let magnitudeFloor: Float = 1e-3
  static let report = ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil

  @Test func threeTrainingStepsMatchPyTorch() throws {
    let f = try networkFixture("cyclegan_steps")
    let all = f.tensors
    let learningRate = Float(f.metadata["lr"] ?? "") ?? .nan
    // Biases of convolutions followed by InstanceNorm: the norm removes them, their true gradient is 0 and
    // both engines update them by Adam-amplified rounding noise (see the script's docstring).
    let zeroGradient = Set((f.metadata["zero_gradient_biases"] ?? "").split(separator: ",").map(String.init))
    #expect(zeroGradient.count == 20)

    var model = CycleGAN(fixtureConfiguration())
    let networks = networksByJunyanzPrefix(model)
    for (prefix, layer) in networks { try layer.load(all, prefix: prefix, source: "cyclegan_steps") }

    for step in 1...Self.steps {
      let losses = model.trainingStep(
        realA: try f.tensor("step\(step).real_A"), realB: try f.tensor("step\(step).real_B"))
      var worstWeight: (relative: Float, name: String) = (0, "")
      var largestWeightDifference: Float = 0
      var worstNoise: Float = 0
      for (prefix, layer) in networks {
        for (name, ours) in layer.stateDict(prefix: prefix) {
          let expected = try f.tensor("step\(step).\(name)")
          let d = maxAbsDifference(ours, expected)
          if zeroGradient.contains(name) {
            // Not comparable value for value; each step moves them by at most ~lr (Adam's normalized step).
            let bound = 1.2 * learningRate * Float(step)
            #expect(maxAbs(ours) <= bound && maxAbs(expected) <= bound, "\(name) after step \(step)")
            worstNoise = max(worstNoise, d)
            continue
          }
          let scale = max(maxAbs(expected), Self.magnitudeFloor)
          #expect(
            d <= Self.relativeTolerance * scale, "\(name) after step \(step): max |Δ| \(d), max |w| \(maxAbs(expected))"
          )
          if d / scale > worstWeight.relative { worstWeight = (d / scale, name) }
          largestWeightDifference = max(largestWeightDifference, d)
        }
      }
      var worstLoss: (relative: Float, name: String) = (0, "")
      var largestLossDifference: Float = 0
      for (name, ours) in lossesByJunyanzName(losses) {
        let expected = try f.tensor("step\(step).loss_\(name)").scalars[0]
        let d = abs(ours - expected)
        let scale = max(abs(expected), Self.magnitudeFloor)
        #expect(d <= Self.relativeTolerance * scale, "loss_\(name) at step \(step): ours \(ours), PyTorch \(expected)")
        if d / scale > worstLoss.relative { worstLoss = (d / scale, name) }
        largestLossDifference = max(largestLossDifference, d)
      }
      if Self.report {
        print(
          "cyclegan step \(step): weights max |Δ| \(largestWeightDifference), worst relative \(worstWeight.relative) "
            + "(\(worstWeight.name)); losses max |Δ| \(largestLossDifference), worst relative \(worstLoss.relative) "
            + "(loss_\(worstLoss.name)); zero-gradient biases max |Δ| \(worstNoise) (lr \(learningRate))")
      }
    }
  }
}
