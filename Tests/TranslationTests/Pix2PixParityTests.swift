// Three pix2pix training steps against PyTorch (scripts/make_pix2pix_fixtures.py): junyanz's
// optimize_parameters on a tiny U-Net and conditional PatchGAN (batch norm, no dropout) from the same initial
// weights and input pair; every weight and running statistic after steps 1 and 3 (the fixture keeps those
// states) and the four losses of every step must match within 1e-5 of the tensor's (or loss's) magnitude.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct Pix2PixParityTests {
  static let relativeTolerance: Float = 1e-5
  /// Below this magnitude a tensor is compared absolutely (1e-5 × 1e-3 = 1e-8).
  static let magnitudeFloor: Float = 1e-3
  static let report = ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil

  /// The fixture's networks: UnetGenerator(3, 3, num_downs 5, ngf 2, batch norm, no dropout) and
  /// NLayerDiscriminator(6, ndf 2, 3 layers, batch norm); junyanz's pix2pix losses (vanilla GAN, λ_L1 100).
  static func fixtureConfiguration() -> Pix2PixConfiguration {
    var c = Pix2PixConfiguration()
    c.generator = .unet(inChannels: 3, outChannels: 3, baseFilters: 2, downsamplings: 5, norm: .batch, dropout: false)
    c.discriminatorFilters = 2
    return c
  }

  @Test func threeTrainingStepsMatchPyTorch() throws {
    let f = try networkFixture("pix2pix_steps")
    let all = f.tensors
    // Convolutions before batch norm carry no bias in junyanz's networks, so no parameter has a true gradient
    // of 0 (the noise that instance norm's biases need bounding for, see TrainingParityTests) here.
    #expect(f.metadata["zero_gradient_biases"] == "")
    let stored = Set((f.metadata["stored_steps"] ?? "").split(separator: ",").compactMap { Int($0) })
    #expect(stored == [1, 3])
    let steps = Int(f.metadata["steps"] ?? "") ?? 0
    #expect(steps == 3)

    var model = Pix2Pix(Self.fixtureConfiguration())
    for (prefix, layer) in model.networks { try layer.load(all, prefix: prefix, source: "pix2pix_steps") }
    let (realA, realB) = (try f.tensor("real_A"), try f.tensor("real_B"))

    for step in 1...steps {
      let losses = model.trainingStep(realA: realA, realB: realB)
      var worst: (relative: Float, name: String) = (0, "")
      var largest: Float = 0
      if stored.contains(step) {
        for (prefix, layer) in model.networks {
          for (name, ours) in layer.stateDict(prefix: prefix) {
            let expected = try f.tensor("step\(step).\(name)")
            let d = maxAbsDifference(ours, expected)
            let scale = max(maxAbs(expected), Self.magnitudeFloor)
            #expect(
              d <= Self.relativeTolerance * scale,
              "\(name) after step \(step): max |Δ| \(d), max |w| \(maxAbs(expected))")
            if d / scale > worst.relative { worst = (d / scale, name) }
            largest = max(largest, d)
          }
        }
      }
      var worstLoss: (relative: Float, name: String) = (0, "")
      var largestLoss: Float = 0
      for loss in losses.named {
        let expected = try f.tensor("step\(step).loss_\(loss.name)").scalars[0]
        let d = abs(loss.value - expected)
        let scale = max(abs(expected), Self.magnitudeFloor)
        #expect(
          d <= Self.relativeTolerance * scale,
          "loss_\(loss.name) at step \(step): ours \(loss.value), PyTorch \(expected)")
        if d / scale > worstLoss.relative { worstLoss = (d / scale, loss.name) }
        largestLoss = max(largestLoss, d)
      }
      if Self.report {
        print(
          "pix2pix step \(step): "
            + (stored.contains(step)
              ? "weights max |Δ| \(largest), worst relative "
                + "\(worst.relative) (\(worst.name)); " : "weights not stored; ")
            + "losses max |Δ| \(largestLoss), worst relative \(worstLoss.relative) (loss_\(worstLoss.name))")
      }
    }
  }

  @Test func lossColumnsAreJunyanzNamesInHisOrder() {
    #expect(Pix2PixLosses.columnNames == ["G_GAN", "G_L1", "D_real", "D_fake"])
    var losses = Pix2PixLosses()
    (losses.adversarial, losses.l1, losses.discriminatorReal, losses.discriminatorFake) = (1, 2, 3, 4)
    #expect(losses.named.map(\.value) == [1, 2, 3, 4])
    #expect(
      TrainingLog.header(columns: Pix2PixLosses.columnNames)
        == "step,epoch,iteration,seconds,learning_rate,G_GAN,G_L1,D_real,D_fake")
  }
}
