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
  c.generator = .resnet(
    inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2, norm: .instance, dropout: false,
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
    let dLoss = abs(loss.scalar - expected)
    let dGrad = maxAbsDifference(query.grad!, try f.tensor("grad_query"))
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
    var tally = ParityTally(
      initial: initial, learningRate: model.configuration.learningRate,
      noGradient: Set(
        biasesBeforeInstanceNorm(model.generator, prefix: "G")
          + biasesBeforeInstanceNorm(model.discriminatorOfB, prefix: "D")))
    #expect(tally.noGradient.count == 9 + 3)
    for step in 1...2 {
      let f = try cutFixture("\(mode.rawValue)_step\(step)")
      func ids(_ name: String) throws -> [[Int]] {
        try model.nceLayers.indices.map { i in try f.tensor("ids.\(name).\(i)").scalars.map { Int($0) } }
      }
      let choices = CUTStepChoices(
        flipped: f.metadata["flipped"] == "True", positions: try ids("nce"),
        identityPositions: mode == .cut ? try ids("nce_y") : [])
      let losses = model.trainingStep(realA: realA, realB: realB, choices: choices)

      // Losses within 1e-5 relative.
      let pairs: [(String, Float)] = [
        ("G_GAN", losses.adversarial), ("D_real", losses.discriminatorReal),
        ("D_fake", losses.discriminatorFake), ("NCE", losses.nce), ("NCE_Y", losses.identityNCE),
      ]
      var worstLoss: Float = 0
      for (name, ours) in pairs {
        let theirs = try f.tensor("loss.\(name)")[flat: 0]
        worstLoss = max(worstLoss, abs(ours - theirs))
        #expect(
          abs(ours - theirs) <= 1e-5 * max(abs(theirs), 1e-3), "\(mode) step \(step) \(name): \(ours) vs \(theirs)")
      }
      tally.reset()
      for (prefix, net) in model.networks { try tally.compare(net, prefix: prefix, step: step, fixture: f) }
      if Self.report {
        print("fixture \(mode) step \(step): max |Δ loss| = \(worstLoss), \(tally)")
      }
    }
  }
}

/// Gradients and weights of one network after a step against the fixture's.
///
/// Gradients (what Adam received) within 1e-4 of the network's largest reference gradient: a bias gradient is a
/// sum over every row and position that nearly cancels (F's output biases: terms ~1 summing to ~1e-3), so its
/// rounding is set by the terms, not by the result.
/// Weights within 1e-5 of each tensor's largest magnitude where both engines agree on the gradient to 1e-3
/// relative (Adam's steps then agree to ~lr·1e-3). Elsewhere Adam turns rounding noise into steps of up to ~lr:
/// a convolution bias followed by InstanceNorm has true gradient 0, and nearly cancelling sums carry a large
/// relative error. From the step they first appear on, those elements are only bounded by their distance from
/// the initial value (≤ 2·lr per step).
/// The NCE part of G's gradient is itself sensitive: perturbing the translation by 1e-6 flips ReLU kinks and
/// moves a layer's NCE gradient by up to 2–4% (measured in float64 PyTorch), and the two engines' translations
/// differ by ~3e-6. Fed the same features, the NCE gradients agree to 1e-6; CUT's G gradient (NCE ~1% of it
/// beside the GAN term) stays within 1e-4 of its largest.
struct ParityTally: CustomStringConvertible {
  let initial: SafeTensorsFile, learningRate: Float, noGradient: Set<String>
  /// Elements (by tensor name) whose weights follow Adam's noise from now on.
  var noisy: [String: Set<Int>] = [:]
  var worstGradient: Float = 0, worstWeight: Float = 0, worstNoisyMove: Float = 0

  init(initial: SafeTensorsFile, learningRate: Float, noGradient: Set<String>) {
    self.initial = initial
    self.learningRate = learningRate
    self.noGradient = noGradient
  }

  mutating func reset() { (worstGradient, worstWeight, worstNoisyMove) = (0, 0, 0) }

  mutating func compare(_ net: any Layer, prefix: String, step: Int, fixture f: SafeTensorsFile) throws {
    let largest = try net.stateDict(prefix: prefix).map { maxAbs(try f.tensor("grad.\($0.name)")) }.max()!
    for v in net.stateVariables {
      let name = "\(prefix).\(v.name)"
      let weight = v.variable.value
      let (theirs, referenceGradient) = (try f.tensor(name), try f.tensor("grad.\(name)"))
      let gradient = v.variable.grad ?? Tensor(zeros: weight.shape)
      let start = try initial.tensor(name)
      let d = maxAbsDifference(gradient, referenceGradient)
      worstGradient = max(worstGradient, d / largest)
      #expect(d <= 1e-4 * largest, "step \(step) gradient of \(name): max |Δ| = \(d)")
      var elements = noisy[name, default: noGradient.contains(name) ? Set(0..<weight.count) : []]
      for i in 0..<weight.count
      where abs(gradient[flat: i] - referenceGradient[flat: i]) > 1e-3 * abs(referenceGradient[flat: i]) {
        elements.insert(i)
      }
      noisy[name] = elements
      for i in 0..<weight.count {
        if elements.contains(i) {
          let moved = abs(weight[flat: i] - start[flat: i])
          worstNoisyMove = max(worstNoisyMove, moved)
          #expect(moved <= 2 * learningRate * Float(step), "step \(step) \(name)[\(i)] moved \(moved)")
        } else {
          let (delta, scale) = (abs(weight[flat: i] - theirs[flat: i]), maxAbs(theirs))
          worstWeight = max(worstWeight, delta / scale)
          #expect(delta <= 1e-5 * scale, "step \(step) \(name)[\(i)]: \(weight[flat: i]) vs \(theirs[flat: i])")
        }
      }
    }
  }

  var description: String {
    let total = noisy.values.reduce(0) { $0 + $1.count }
    let structural = noisy.filter { noGradient.contains($0.key) }.values.reduce(0) { $0 + $1.count }
    return
      "max |Δ gradient| / network's largest = \(worstGradient), max |Δ weight| / tensor's largest = \(worstWeight); "
      + "\(total) noise-following elements (\(structural) of them biases before InstanceNorm) moved ≤ \(worstNoisyMove)"
  }
}
