// junyanz init_weights: the statistics of each scheme, zero biases, BatchNorm weights around 1.

import NN
import Testing

@Suite struct InitializationTests {
  func std(_ t: Tensor) -> Float {
    let m = t.mean()
    return ((t * t).mean() - m * m).squareRoot()
  }

  @Test(arguments: InitKind.allCases)
  func schemesHaveTheirStandardDeviation(_ kind: InitKind) {
    let layer = Sequential([Conv2d(64, 128, kernel: 3), BatchNorm2d(128), ConvTranspose2d(128, 32, kernel: 4)])
    var rng = SeededGenerator(seed: 3)
    layer.parameters.forEach { $0.variable.value = Tensor(repeating: 7, shape: $0.variable.shape) }
    initializeWeights(layer, kind, gain: 0.02, using: &rng)
    let conv = layer.layers[0] as! Conv2d
    let norm = layer.layers[1] as! BatchNorm2d
    let (fanIn, fanOut) = (Float(64 * 9), Float(128 * 9))
    let expected: Float =
      switch kind {
      case .normal: 0.02
      case .xavier: 0.02 * (2 / (fanIn + fanOut)).squareRoot()
      case .kaiming: (2 / fanIn).squareRoot()
      case .orthogonal: 0.02 / Float(64 * 9).squareRoot()  // rows of length 576 with norm 0.02
      }
    #expect(abs(std(conv.weight.value) / expected - 1) < 0.03, "\(kind): \(std(conv.weight.value)) vs \(expected)")
    #expect(conv.bias!.value.scalars.allSatisfy { $0 == 0 })
    #expect(abs(norm.weight.value.mean() - 1) < 0.01 && norm.bias.value.scalars.allSatisfy { $0 == 0 })
  }

  @Test func orthogonalRowsAreOrthonormalTimesGain() {
    var rng = SeededGenerator(seed: 4)
    for shape in [[6, 10], [10, 6], [4, 2, 3, 3]] {
      let w = orthogonalTensorForTest(shape, &rng)
      let rows = shape[0]
      let cols = shape.dropFirst().reduce(1, *)
      let small = min(rows, cols)
      // Gram matrix of the smaller side is gain²·I.
      for i in 0..<small {
        for j in 0..<small {
          var d: Float = 0
          for k in 0..<max(rows, cols) {
            d +=
              rows <= cols
              ? w[flat: i * cols + k] * w[flat: j * cols + k] : w[flat: k * cols + i] * w[flat: k * cols + j]
          }
          #expect(abs(d - (i == j ? 4 : 0)) < 1e-4)
        }
      }
    }
  }

  func orthogonalTensorForTest(_ shape: [Int], _ rng: inout SeededGenerator) -> Tensor {
    let layer = Linear(1, 1)
    layer.weight.value = Tensor(zeros: [shape[0], shape.dropFirst().reduce(1, *)])
    initializeWeights(layer, .orthogonal, gain: 2, using: &rng)
    return layer.weight.value.reshaped(shape)
  }

  @Test func layerParametersUsePyTorchNames() {
    let net = Named("model", Sequential([Conv2d(3, 4, kernel: 3), ReLU(), BatchNorm2d(4), Linear(2, 2, bias: false)]))
    #expect(
      net.parameters.map(\.name) == [
        "model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias", "model.3.weight",
      ])
    #expect(net.buffers.map(\.name) == ["model.2.running_mean", "model.2.running_var", "model.2.num_batches_tracked"])
  }

  @Test func batchNormUsesRunningStatisticsInInference() {
    let bn = BatchNorm2d(2)
    var rng = SeededGenerator(seed: 5)
    let x = Variable(Tensor.uniform([4, 2, 3, 3], low: 2, high: 4, using: &rng))
    _ = bn(x)  // training: updates running stats, counts the batch
    #expect(bn.batchesTracked.value[flat: 0] == 1)
    let y = LayerMode.inference { bn(x) }
    // Running mean ≈ 0.1·3 so inference output is far from zero-mean.
    #expect(y.value.mean() > 1)
    #expect(!y.requiresGrad)
  }
}
