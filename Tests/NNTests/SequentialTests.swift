// Sequential at inference runs an InstanceNorm2d in its input's memory, with a following ReLU in the same
// pass: the same values as the layers run one after the other (what training, which records gradients, does),
// and an input someone else holds is never written.

import NN
import Testing

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
}
