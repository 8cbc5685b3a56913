// conv2dReflectPadded (the reflection read inside the Winograd input transform) against its two-step twin,
// pad2d(.reflect) then conv2d: bit-identical, and within the Winograd bound of a float64 reference, on each
// instruction set; nil wherever the convolution would not take the Winograd path.

import CKernels
import TestSupport
import Testing

@testable import TensorCore

struct ReflectCase: CustomTestStringConvertible, Sendable {
  var batch: Int, channels: Int, outChannels: Int, height: Int, width: Int, padding: Int
  var testDescription: String { "n\(batch) c\(channels)→\(outChannels) \(height)×\(width) reflect \(padding)" }
}

let reflectCases: [ReflectCase] = [
  ReflectCase(batch: 1, channels: 16, outChannels: 16, height: 8, width: 8, padding: 1),  // a residual conv, 2×2 tiles
  ReflectCase(batch: 2, channels: 24, outChannels: 17, height: 11, width: 14, padding: 1),  // ragged tiles
  ReflectCase(batch: 1, channels: 16, outChannels: 16, height: 5, width: 37, padding: 2),  // 10 tiles wide: AVX2 + tail
  ReflectCase(batch: 1, channels: 32, outChannels: 16, height: 3, width: 66, padding: 2),  // pad 2 of 3 rows
  ReflectCase(batch: 1, channels: 16, outChannels: 32, height: 6, width: 6, padding: 0),  // no padding at all
  ReflectCase(batch: 1, channels: 16, outChannels: 16, height: 33, width: 64, padding: 1),  // per-thread pipeline
  // …in blocks of columns (2 runs of 76 and 75 tiles), mirrored at both ends of the row
  ReflectCase(batch: 1, channels: 16, outChannels: 16, height: 7, width: 601, padding: 2),
]

@Suite struct ReflectPaddedConvolutionTests {
  @Test(arguments: reflectCases)
  func equalsPadThenConvolve(_ c: ReflectCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 70)
    let w = randomTensor([c.outChannels, c.channels, 3, 3], seed: 71)
    let b = randomTensor([c.outChannels], seed: 72)
    let padded = pad2d(x, EdgePadding(c.padding), mode: .reflect)
    // float64 reference on the padded copy
    let g = ConvGeometry(
      channels: c.channels, height: padded.shape[2], width: padded.shape[3], kernel: 3, padding: 0)
    var reference = Tensor(zeros: [c.batch, c.outChannels, g.outHeight, g.outWidth])
    reference.withUnsafeMutableBufferPointer { y in
      guard let out = y.baseAddress else { return }
      conv2dNaive(
        padded.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, bias: b.pointer, out)
    }
    for isa in WinogradInstructionSet.allCases {
      WinogradPolicy.$instructionSetLimit.withValue(isa) {
        let twoSteps = conv2d(padded, weight: w, bias: b)
        guard let fused = conv2dReflectPadded(x, weight: w, bias: b, padding: c.padding) else {
          Issue.record("\(isa): not on the Winograd path")
          return
        }
        #expect(fused.shape == twoSteps.shape)
        #expect(fused == twoSteps, "\(isa): differs from pad → conv by \(maxAbsDifference(fused, twoSteps))")
        let error = relativeError(fused, reference)
        #expect(error < winogradRelativeBound, "\(isa): relative error \(error)")
      }
    }
  }

  /// An instance normalization (+ ReLU) read in place by the input transform: the bits of instanceNorm, then pad,
  /// then convolve — affine or not, with and without ReLU, on each instruction set.
  @Test(arguments: reflectCases)
  func normalizedFirstEqualsNormalizePadConvolve(_ c: ReflectCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 75, low: -2, high: 3)
    let w = randomTensor([c.outChannels, c.channels, 3, 3], seed: 76)
    let b = randomTensor([c.outChannels], seed: 77)
    let (gamma, beta) = (randomTensor([c.channels], seed: 78), randomTensor([c.channels], seed: 79))
    for (affine, relu) in [(false, true), (true, false), (true, true)] {
      let norm = InstanceNormalization(
        weight: affine ? gamma : nil, bias: affine ? beta : nil, eps: normalizationEpsilon, relu: relu)
      for isa in WinogradInstructionSet.allCases {
        WinogradPolicy.$instructionSetLimit.withValue(isa) {
          let normalized = instanceNorm(x, weight: norm.weight, bias: norm.bias, thenReLU: relu).y
          let twoSteps = conv2d(pad2d(normalized, EdgePadding(c.padding), mode: .reflect), weight: w, bias: b)
          guard let fused = conv2dReflectPadded(x, weight: w, bias: b, padding: c.padding, normalizedFirst: norm)
          else {
            Issue.record("\(isa): not on the Winograd path")
            return
          }
          #expect(fused == twoSteps, "\(isa) affine \(affine) relu \(relu): \(maxAbsDifference(fused, twoSteps))")
        }
      }
    }
  }

  /// Shapes neither path takes, or that reflection cannot pad, compute nothing.
  @Test func otherShapesReturnNil() {
    let x = randomTensor([1, 16, 8, 8], seed: 73)
    let w = randomTensor([16, 16, 3, 3], seed: 74)
    #expect(conv2dReflectPadded(x, weight: w, bias: nil, padding: 1) != nil)
    #expect(conv2dReflectPadded(x, weight: randomTensor([16, 8, 3, 3], seed: 78), bias: nil, padding: 1) == nil)
    #expect(conv2dReflectPadded(x, weight: w, bias: randomTensor([8], seed: 79), padding: 1) == nil)
    #expect(conv2dReflectPadded(randomTensor([1, 16, 2, 9], seed: 80), weight: w, bias: nil, padding: 2) == nil)  // p ≥ H
    #expect(conv2dReflectPadded(x, weight: randomTensor([16, 16, 3, 5], seed: 77), bias: nil, padding: 1) == nil)
    // 8 → 128 channels: too few for Winograd, too many for the small kernels
    let few = randomTensor([1, 8, 8, 8], seed: 75)
    #expect(conv2dReflectPadded(few, weight: randomTensor([128, 8, 3, 3], seed: 76), bias: nil, padding: 1) == nil)
    let norm = InstanceNormalization(weight: randomTensor([7], seed: 82), bias: nil, eps: 1e-5, relu: true)
    #expect(conv2dReflectPadded(x, weight: w, bias: nil, padding: 1, normalizedFirst: norm) == nil)  // γ of 7
  }

  /// The small kernels (≤ 64 output channels, any kernel, stride 1 or 2) reading a reflection pad and/or an instance
  /// normalization in place: the bits of normalize → pad → convolve, as the generator's ends (ReflectionPad2d(3)
  /// → 7×7) and its stride-2 convolutions after InstanceNorm → ReLU meet them.
  @Test(arguments: [
    SmallFusedCase(channels: 3, outChannels: 16, size: (37, 41), kernel: 7, stride: 1, padding: 3, reflect: true),
    SmallFusedCase(channels: 16, outChannels: 3, size: (33, 70), kernel: 7, stride: 1, padding: 3, reflect: true),
    SmallFusedCase(channels: 8, outChannels: 16, size: (9, 12), kernel: 3, stride: 1, padding: 2, reflect: true),
    SmallFusedCase(channels: 16, outChannels: 32, size: (34, 67), kernel: 3, stride: 2, padding: 1, reflect: false),
    SmallFusedCase(channels: 5, outChannels: 7, size: (15, 20), kernel: 5, stride: 1, padding: 3, reflect: true),
    SmallFusedCase(channels: 32, outChannels: 64, size: (20, 21), kernel: 3, stride: 2, padding: 1, reflect: false),
  ])
  func smallKernelsReadPaddingAndNormalizationInPlace(_ c: SmallFusedCase) throws {
    try #require(ck_has_avx2_fma() != 0, "the small kernels need AVX2/FMA")
    let x = randomTensor([2, c.channels, c.size.0, c.size.1], seed: 83, low: -2, high: 3)
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 84)
    let b = randomTensor([c.outChannels], seed: 85)
    let (gamma, beta) = (randomTensor([c.channels], seed: 86), randomTensor([c.channels], seed: 87))
    let norms: [InstanceNormalization?] =
      (c.reflect ? [nil] : []) + [
        InstanceNormalization(weight: nil, bias: nil, eps: normalizationEpsilon, relu: true),
        InstanceNormalization(weight: gamma, bias: beta, eps: normalizationEpsilon, relu: false),
      ]
    for norm in norms {
      let input = norm.map { instanceNorm(x, weight: $0.weight, bias: $0.bias, thenReLU: $0.relu).y } ?? x
      let fused: Tensor?
      let layers: Tensor
      if c.reflect {
        layers = conv2d(
          pad2d(input, EdgePadding(c.padding), mode: .reflect), weight: w, bias: b, ConvOptions(stride: c.stride))
        fused = conv2dReflectPadded(x, weight: w, bias: b, padding: c.padding, normalizedFirst: norm)
      } else {
        layers = conv2d(input, weight: w, bias: b, ConvOptions(stride: c.stride, padding: c.padding))
        fused = norm.flatMap {
          conv2dNormalizedFirst(x, weight: w, bias: b, padding: c.padding, stride: c.stride, normalizedFirst: $0)
        }
      }
      let result = try #require(fused, "\(c): not on a fused path")
      #expect(result == layers, "\(c) norm \(String(describing: norm?.relu)): \(maxAbsDifference(result, layers))")
    }
  }
}

struct SmallFusedCase: CustomTestStringConvertible, Sendable {
  var channels: Int, outChannels: Int, size: (Int, Int), kernel: Int, stride: Int, padding: Int, reflect: Bool
  var testDescription: String {
    "c\(channels)→\(outChannels) \(size.0)×\(size.1) k\(kernel) s\(stride) \(reflect ? "reflect" : "zero") \(padding)"
  }
}
