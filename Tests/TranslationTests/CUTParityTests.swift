// CUT and FastCUT against PyTorch (scripts/make_cut_fixtures.py, Fixtures/CUT/README.md): the PatchNCE loss
// and its gradient alone, then whole training steps from the same weights, inputs, patch positions and flips,
// comparing the five losses, every gradient and every weight of G, D and F after each step.

import Foundation
import TestSupport
import Testing
import Translation

private func cutFixture(_ name: String) throws -> SafeTensorsFile {
  let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/CUT")
  return try SafeTensors.read(folder.appendingPathComponent("\(name).safetensors").path)
}

/// The fixtures' tiny configuration (their README): ResNet 2 blocks ngf 4, PatchGAN ndf 4, 80 patches, F width 16.
func tinyCUTConfiguration(_ mode: CUTMode) -> CUTConfiguration {
  var c = CUTConfiguration(mode: mode)
  c.generator = .resnet(inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2, norm: .instance, dropout: false,
                        padding: .reflect)
  c.discriminatorFilters = 4
  c.patches = 80
  c.featureWidth = 16
  return c
}

/// Names of convolution biases directly followed by an InstanceNorm (which removes any per-channel constant).
func biasesBeforeInstanceNorm(_ layer: any Layer, prefix: String) -> [String] {
  var names: [String] = []
  if let sequence = layer as? Sequential {
    for (i, l) in sequence.layers.enumerated() {
      let next = sequence.layers.indices.contains(i + 1) ? sequence.layers[i + 1] : nil
      if next is InstanceNorm2d, l is Conv2d || l is ConvTranspose2d { names.append("\(prefix).\(i).bias") }
      names += biasesBeforeInstanceNorm(l, prefix: "\(prefix).\(i)")
    }
    return names
  }
  switch layer {
  case let g as ResnetGenerator: return biasesBeforeInstanceNorm(g.model, prefix: "\(prefix).model")
  case let b as ResnetBlock: return biasesBeforeInstanceNorm(b.convBlock, prefix: "\(prefix).conv_block")
  case let d as NLayerDiscriminator: return biasesBeforeInstanceNorm(d.model, prefix: "\(prefix).model")
  default: return []
  }
}

@Suite struct CUTParityTests {
  static let report = ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil

  @Test func patchNCELossAndGradientMatchPyTorch() throws {
    let f = try cutFixture("patchnce")
    let query = Variable(try f.tensor("query"), requiresGrad: true)
    let key = l2NormalizedRows(Variable(try f.tensor("key"))).value
    let loss = patchNCELoss(query: l2NormalizedRows(query), key: key, images: 2, temperature: 0.07)
    loss.backward()
    let expected = try f.tensor("loss")[flat: 0]
    let dLoss = abs(loss.scalar - expected), dGrad = maxAbsDifference(query.grad!, try f.tensor("grad_query"))
    if Self.report { print("fixture patchnce: |Δ loss| = \(dLoss), max |Δ grad| = \(dGrad)") }
    #expect(dLoss <= 1e-5 * abs(expected), "loss \(loss.scalar) vs \(expected)")
    #expect(dGrad <= 1e-5 * maxAbs(try f.tensor("grad_query")), "max |Δ grad| = \(dGrad)")
  }

  @Test(arguments: [CUTMode.cut, .fastcut])
  func trainingStepsMatchPyTorch(_ mode: CUTMode) throws {
    let initial = try cutFixture("initial")
    var model = try CUT(tinyCUTConfiguration(mode))
    for (prefix, net) in model.networks {
      try net.load(initial.tensors.filter { $0.key.hasPrefix(prefix + ".") }, prefix: prefix, source: "initial")
    }
    let (realA, realB) = (try initial.tensor("real_A"), try initial.tensor("real_B"))
    let lr = model.configuration.learningRate
    let noGradient = Set(biasesBeforeInstanceNorm(model.generator, prefix: "G")
                         + biasesBeforeInstanceNorm(model.discriminatorOfB, prefix: "D"))
    #expect(noGradient.count == 9 + 3)
    var noisyElements: [String: Set<Int>] = [:]
    for step in 1...2 {
      let f = try cutFixture("\(mode.rawValue)_step\(step)")
      func ids(_ name: String) throws -> [[Int]] {
        try model.nceLayers.indices.map { i in try f.tensor("ids.\(name).\(i)").scalars.map { Int($0) } }
      }
      let choices = CUTStepChoices(flipped: f.metadata["flipped"] == "True", positions: try ids("nce"),
                                   identityPositions: mode == .cut ? try ids("nce_y") : [])
      let losses = model.trainingStep(realA: realA, realB: realB, choices: choices)

      // Losses within 1e-5 relative.
      let pairs: [(String, Float)] = [("G_GAN", losses.adversarial), ("D_real", losses.discriminatorReal),
                                      ("D_fake", losses.discriminatorFake), ("NCE", losses.nce), ("NCE_Y", losses.identityNCE)]
      var worstLoss: Float = 0
      for (name, ours) in pairs {
        let theirs = try f.tensor("loss.\(name)")[flat: 0]
        worstLoss = max(worstLoss, abs(ours - theirs))
        #expect(abs(ours - theirs) <= 1e-5 * max(abs(theirs), 1e-3), "\(mode) step \(step) \(name): \(ours) vs \(theirs)")
      }
      // Gradients (what Adam received) within 1e-4 of the network's largest reference gradient: a bias
      // gradient is a sum over every row and position that nearly cancels (F's output biases: terms ~1 summing
      // to ~1e-3), so its rounding is set by the terms, not by the result.
      // Weights within 1e-5 of each tensor's largest magnitude where both engines agree on the gradient to
      // 1e-3 relative (Adam's step then agrees to ~lr·1e-3). Elsewhere Adam turns rounding noise into steps of
      // up to ~lr: a convolution bias followed by InstanceNorm has true gradient 0, and nearly cancelling sums
      // carry a large relative error. From the step they first appear on, those elements are only bounded by
      // their distance from the initial value (≤ 2·lr per step).
      var worstWeight: Float = 0, worstGradient: Float = 0, worstNoisy: Float = 0
      for (prefix, net) in model.networks {
        let networkLargest = try net.stateDict(prefix: prefix).map { maxAbs(try f.tensor("grad.\($0.name)")) }.max()!
        for (name, tensor) in net.stateDict(prefix: prefix) {
          let (theirs, referenceGradient) = (try f.tensor(name), try f.tensor("grad.\(name)"))
          let variable = net.stateVariables.first { "\(prefix).\($0.name)" == name }!.variable
          let gradient = variable.grad ?? Tensor(zeros: tensor.shape), start = try initial.tensor(name)
          let d = maxAbsDifference(gradient, referenceGradient)
          worstGradient = max(worstGradient, d / networkLargest)
          #expect(d <= 1e-4 * networkLargest, "\(mode) step \(step) gradient of \(name): max |Δ| = \(d)")
          var noisy = noisyElements[name, default: noGradient.contains(name) ? Set(0..<tensor.count) : []]
          for i in 0..<tensor.count where abs(gradient[flat: i] - referenceGradient[flat: i]) > 1e-3 * abs(referenceGradient[flat: i]) {
            noisy.insert(i)
          }
          noisyElements[name] = noisy
          for i in 0..<tensor.count {
            let (ours, ref) = (tensor[flat: i], theirs[flat: i])
            if noisy.contains(i) {
              let moved = abs(ours - start[flat: i])
              worstNoisy = max(worstNoisy, moved)
              #expect(moved <= 2 * lr * Float(step), "\(name)[\(i)] moved \(moved)")
            } else {
              worstWeight = max(worstWeight, abs(ours - ref) / maxAbs(theirs))
              #expect(abs(ours - ref) <= 1e-5 * maxAbs(theirs), "\(mode) step \(step) \(name)[\(i)]: \(ours) vs \(ref)")
            }
          }
        }
      }
      if Self.report {
        let noisyCount = noisyElements.values.reduce(0) { $0 + $1.count }
        print("fixture \(mode) step \(step): max |Δ loss| = \(worstLoss), max relative |Δ gradient| = \(worstGradient), "
              + "max relative |Δ weight| = \(worstWeight); \(noisyCount) elements with noisy gradients moved ≤ \(worstNoisy)")
      }
    }
  }
}
