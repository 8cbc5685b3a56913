// At inference the ResNet generator normalizes in place and adds each residual block's input onto the block's
// output; with gradients recorded every op makes a new tensor. Both must give the same bits.

import Testing
import Translation

@Suite struct ResnetInferenceTests {
  @Test func inferenceInPlaceEqualsTheRecordedForward() {
    var rng = SeededGenerator(seed: 5)
    let generator = ResnetGenerator(baseFilters: 4, blocks: 2)
    initializeWeights(generator, .normal, gain: 0.02, using: &rng)
    let x = Tensor.uniform([1, 3, 20, 24], low: -1, high: 1, using: &rng)
    let input = Variable(x)
    let recorded = generator(input).value
    let inference = LayerMode.inference { generator(input).value }
    #expect(inference == recorded)
    #expect(input.value == x)
  }
}
