// Sequential at inference runs an InstanceNorm2d in its input's memory, with a following ReLU in the same
// pass, and a reflection pad followed by a Winograd convolution as one pass: the same values as the layers run
// one after the other (what training, which records gradients, does), and an input someone else holds is never
// written.

import Testing

@testable import NN

@Suite struct SequentialTests {
  @Test(arguments: [false, true])
  func instanceNormThenReLUInOnePassEqualsTheTwoLayers(affine: Bool) {
    var rng = SeededGenerator(seed: 3)
    let net = Sequential([
      Conv2d(3, 5, kernel: 3), InstanceNorm2d(5, affine: affine), ReLU(), Conv2d(5, 4, kernel: 1),
      InstanceNorm2d(4, affine: affine), ReLU(),
    ])
    initializeWeights(net, .normal, gain: 0.5, using: &rng)
    let x = Tensor.uniform([2, 3, 9, 11], low: -1, high: 1, using: &rng)
    let layerByLayer = net.layers.reduce(Variable(x)) { $1($0) }.value
    let fused = GradientMode.withoutGradients { net(Variable(x)).value }
    #expect(fused == layerByLayer)
    #expect(fused.scalars.contains(0) && fused.scalars.allSatisfy { $0 >= 0 })
  }

  @Test func aNormWithoutReLUAndAnInputHeldElsewhereKeepTheirValues() {
    var rng = SeededGenerator(seed: 4)
    let norm = Sequential([InstanceNorm2d(3, affine: true), Conv2d(3, 2, kernel: 1), InstanceNorm2d(2)])
    initializeWeights(norm, .normal, gain: 0.5, using: &rng)
    let x = Tensor.uniform([1, 3, 6, 7], low: -1, high: 1, using: &rng)
    let input = Variable(x)
    let layerByLayer = norm.layers.reduce(input) { $1($0) }.value
    let inPlace = GradientMode.withoutGradients { norm(input).value }
    #expect(inPlace == layerByLayer)
    #expect(input.value == x)  // the first norm's input is the caller's: normalized into a new tensor
  }

  /// A junyanz residual block's convolutions (16 channels: Winograd), a 3-channel one (small kernels where the CPU
  /// has AVX2, else im2col and not fused) and one that neither path takes (3 → 128 channels: not fused).
  @Test func reflectionPadThenConvolutionInOnePassEqualsTheTwoLayers() {
    var rng = SeededGenerator(seed: 4)
    let net = Sequential([
      Pad2d(.reflect, 1), Conv2d(16, 16, kernel: 3), InstanceNorm2d(16), ReLU(), Pad2d(.reflect, 1),
      Conv2d(16, 3, kernel: 3, bias: false), Pad2d(.reflect, 1), Conv2d(3, 16, kernel: 3),
    ])
    initializeWeights(net, .normal, gain: 0.5, using: &rng)
    let x = Tensor.uniform([2, 16, 9, 11], low: -1, high: 1, using: &rng)
    let layerByLayer = net.layers.reduce(Variable(x)) { $1($0) }.value
    let fused = GradientMode.withoutGradients { net(Variable(x)).value }
    #expect(fused == layerByLayer)
    // The fusion applies at inference only, and only where the convolution takes the Winograd or small path.
    guard let pad = net.layers[0] as? Pad2d, let conv = net.layers[1] as? Conv2d else {
      Issue.record("layers")
      return
    }
    #expect(GradientMode.withoutGradients { conv.afterReflectionPadInOnePass(pad, Variable(x)) } != nil)
    #expect(conv.afterReflectionPadInOnePass(pad, Variable(x)) == nil)
    let three = Variable(Tensor.uniform([1, 3, 9, 11], low: -1, high: 1, using: &rng))
    let wide = Conv2d(3, 128, kernel: 3)
    #expect(GradientMode.withoutGradients { wide.afterReflectionPadInOnePass(pad, three) } == nil)
    #expect(
      GradientMode.withoutGradients { conv.afterReflectionPadInOnePass(Pad2d(.replicate, 1), Variable(x)) } == nil)
  }
}
