// Every differentiable op's backward against central finite differences (Double accumulation).

import Autograd
import TestSupport
import Testing

@Suite struct BackwardMatchesFiniteDifferencesTests {
  struct ConvCase: Sendable, CustomTestStringConvertible {
    var kernel: Int, stride: Int, padding: Int, dilation: Int, outputPadding: Int
    var testDescription: String { "k\(kernel) s\(stride) p\(padding) d\(dilation) op\(outputPadding)" }
    var options: ConvOptions {
      ConvOptions(stride: stride, padding: padding, dilation: dilation, outputPadding: outputPadding)
    }
  }
  static let convCases = [
    ConvCase(kernel: 3, stride: 1, padding: 1, dilation: 1, outputPadding: 0),
    ConvCase(kernel: 3, stride: 2, padding: 1, dilation: 1, outputPadding: 1),
    ConvCase(kernel: 4, stride: 2, padding: 1, dilation: 1, outputPadding: 0),
    ConvCase(kernel: 7, stride: 1, padding: 3, dilation: 1, outputPadding: 0),
    ConvCase(kernel: 3, stride: 1, padding: 2, dilation: 2, outputPadding: 0),
    ConvCase(kernel: 1, stride: 2, padding: 0, dilation: 1, outputPadding: 1),
  ]

  @Test(arguments: convCases)
  func conv2dBackwardMatchesFiniteDifferences(_ c: ConvCase) {
    let inputs = [
      randomTensor([2, 3, 9, 8], seed: 1), randomTensor([4, 3, c.kernel, c.kernel], seed: 2),
      randomTensor([4], seed: 3),
    ]
    let r = checkGradients(inputs) { v in conv2d(v[0], v[1], v[2], c.options) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func directConvKernelBackwardMatchesFiniteDifferences() {
    // 7×7 to 3 channels with an output ≥ 32 wide takes the direct AVX2 forward path.
    let inputs = [
      randomTensor([1, 4, 10, 40], seed: 4), randomTensor([3, 4, 7, 7], seed: 5), randomTensor([3], seed: 6),
    ]
    let r = checkGradients(inputs, samples: 20) { v in conv2d(v[0], v[1], v[2]) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func winogradConvBackwardMatchesFiniteDifferences() {
    // 3×3 stride 1 with 16 channels on both sides and an 8×8 output takes Winograd F(4×4, 3×3) in all passes.
    let inputs = [
      randomTensor([1, 16, 8, 8], seed: 14), randomTensor([16, 16, 3, 3], seed: 15, low: -0.3, high: 0.3),
      randomTensor([16], seed: 16),
    ]
    let r = checkGradients(inputs, samples: 20) { v in conv2d(v[0], v[1], v[2], ConvOptions(padding: 1)) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test(arguments: convCases)
  func convTranspose2dBackwardMatchesFiniteDifferences(_ c: ConvCase) {
    let inputs = [
      randomTensor([2, 3, 5, 6], seed: 7), randomTensor([3, 2, c.kernel, c.kernel], seed: 8),
      randomTensor([2], seed: 9),
    ]
    let r = checkGradients(inputs) { v in convTranspose2d(v[0], v[1], v[2], c.options) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func instanceNormBackwardMatchesFiniteDifferences() {
    let affine = checkGradients(
      [
        randomTensor([2, 3, 5, 4], seed: 10, low: -2, high: 2), randomTensor([3], seed: 11),
        randomTensor([3], seed: 12),
      ], eps: 3e-3
    ) { v in
      instanceNorm(v[0], weight: v[1], bias: v[2])
    }
    #expect(affine.failures.isEmpty, "\(affine)")
    let plain = checkGradients([randomTensor([1, 2, 6, 3], seed: 13, low: -2, high: 2)], eps: 3e-3) { v in
      instanceNorm(v[0], weight: nil, bias: nil)
    }
    #expect(plain.failures.isEmpty, "\(plain)")
  }

  @Test func batchNormBackwardMatchesFiniteDifferencesInBothModes() {
    let inputs = [
      randomTensor([3, 2, 4, 3], seed: 14, low: -2, high: 2), randomTensor([2], seed: 15), randomTensor([2], seed: 16),
    ]
    let training = checkGradients(inputs, eps: 3e-3) { v in
      var mean = Tensor(zeros: [2])
      var variance = Tensor(repeating: 1, shape: [2])
      return batchNormTraining(v[0], weight: v[1], bias: v[2], runningMean: &mean, runningVar: &variance)
    }
    #expect(training.failures.isEmpty, "\(training)")
    let stats = (randomTensor([2], seed: 17), randomTensor([2], seed: 18, low: 0.5, high: 2))
    let inference = checkGradients(inputs) { v in
      batchNormInference(v[0], weight: v[1], bias: v[2], runningMean: stats.0, runningVar: stats.1)
    }
    #expect(inference.failures.isEmpty, "\(inference)")
  }

  @Test(arguments: PaddingMode.allCases)
  func padBackwardMatchesFiniteDifferences(_ mode: PaddingMode) {
    let r = checkGradients([randomTensor([2, 2, 5, 4], seed: 19)]) { v in
      pad2d(v[0], EdgePadding(top: 3, bottom: 2, left: 1, right: 3), mode: mode)
    }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func activationsBackwardMatchFiniteDifferences() {
    let x = [awayFromZero([2, 3, 4, 4], seed: 20)]
    let cases: [(String, (Variable) -> Variable)] = [
      ("relu", { relu($0) }), ("leakyRelu", { leakyRelu($0, slope: 0.2) }), ("tanh", { tanh($0) }),
      ("sigmoid", { sigmoid($0) }),
      (
        "dropout",
        { v in
          var rng = SeededGenerator(seed: 5)
          return dropout(v, probability: 0.5, using: &rng)
        }
      ),
    ]
    for (name, op) in cases {
      let r = checkGradients(x) { v in op(v[0]) }
      #expect(r.failures.isEmpty, "\(name): \(r)")
    }
  }

  @Test(arguments: UpsampleMode.allCases)
  func upsampleBackwardMatchesFiniteDifferences(_ mode: UpsampleMode) {
    let r = checkGradients([randomTensor([1, 2, 3, 4], seed: 21)]) { v in upsample(v[0], factor: 2, mode: mode) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func poolingConcatAndBroadcastBackwardMatchFiniteDifferences() {
    let pool = checkGradients([randomTensor([2, 2, 7, 6], seed: 22)]) { v in
      avgPool2d(v[0], kernel: 3, stride: 2, padding: 1)
    }
    #expect(pool.failures.isEmpty, "\(pool)")
    let concat = checkGradients([randomTensor([2, 2, 3, 3], seed: 23), randomTensor([2, 1, 3, 3], seed: 24)]) { v in
      concatChannels([v[0], v[1]]) * 2
    }
    #expect(concat.failures.isEmpty, "\(concat)")
    let broadcast = checkGradients([
      randomTensor([2, 3, 2, 2], seed: 25), randomTensor([3], seed: 26), randomTensor([3], seed: 27),
    ]) { v in
      multiplyChannelwise(addChannelwise(v[0], v[1]), v[2])
    }
    #expect(broadcast.failures.isEmpty, "\(broadcast)")
    let arithmetic = checkGradients([randomTensor([3, 4], seed: 28), randomTensor([3, 4], seed: 29)]) { v in
      (v[0] * v[1] - v[0] + v[1] * 0.5) + 1
    }
    #expect(arithmetic.failures.isEmpty, "\(arithmetic)")
  }

  @Test func linearAndMatmulBackwardMatchFiniteDifferences() {
    let lin = checkGradients([
      randomTensor([5, 4], seed: 30), randomTensor([3, 4], seed: 31), randomTensor([3], seed: 32),
    ]) { v in
      linear(v[0], v[1], v[2])
    }
    #expect(lin.failures.isEmpty, "\(lin)")
    let mm = checkGradients([randomTensor([2, 5], seed: 33), randomTensor([5, 3], seed: 34)]) { v in matmul(v[0], v[1])
    }
    #expect(mm.failures.isEmpty, "\(mm)")
  }

  @Test(arguments: LossKind.allCases)
  func lossBackwardMatchesFiniteDifferences(_ kind: LossKind) {
    let p = randomTensor([2, 3, 4], seed: 35, low: -3, high: 3)
    // Targets: 0/1 labels for BCE; for L1 keep |p − t| away from 0.
    let t: Tensor
    switch kind {
    case .bceWithLogits: t = randomTensor([2, 3, 4], seed: 36).map { $0 > 0 ? 1 : 0 }
    case .l1: t = p + awayFromZero([2, 3, 4], seed: 37)
    case .mse: t = randomTensor([2, 3, 4], seed: 38)
    }
    let r = checkGradients([p, t]) { v in loss(kind, v[0], v[1]) }
    #expect(r.failures.isEmpty, "\(r)")
    let m = checkGradients([p]) { v in mean(v[0] * v[0]) + sum(v[0]) }
    #expect(m.failures.isEmpty, "\(m)")
  }

  @Test func localColourTransformBackwardMatchesFiniteDifferences() {
    let inputs = [randomTensor([2, 12, 3, 5], seed: 40), randomTensor([2, 3, 3, 5], seed: 41)]
    let r = checkGradients(inputs) { v in localColourTransform(v[0], v[1]) }
    #expect(r.failures.isEmpty, "\(r)")
  }
}
