// Padding, normalization, resampling and loss kernels against naive references and PyTorch semantics.

import CKernels
import Foundation
import TestSupport
import Testing

@testable import TensorCore

@Suite struct LayerKernelTests {
  @Test(arguments: PaddingMode.allCases)
  func padMatchesNaiveAndItsBackwardIsTheAdjoint(_ mode: PaddingMode) {
    let x = randomTensor([2, 3, 6, 5], seed: 60)
    let p = EdgePadding(top: 3, bottom: 1, left: 2, right: 4)
    let y = pad2d(x, p, mode: mode)
    #expect(y == pad2dNaive(x, p, mode: mode))
    let dy = randomTensor(y.shape, seed: 61)
    let dx = pad2dBackward(dy, inputShape: x.shape, p, mode: mode)
    #expect(abs(dot(y, dy) - dot(x, dx)) < 1e-4)
  }

  @Test func reflectionPadsWithoutRepeatingTheEdge() {
    let x = Tensor(shape: [1, 1, 1, 3], values: [1, 2, 3])
    #expect(
      pad2d(x, EdgePadding(top: 0, bottom: 0, left: 2, right: 2), mode: .reflect).scalars == [3, 2, 1, 2, 3, 2, 1])
    #expect(
      pad2d(x, EdgePadding(top: 0, bottom: 0, left: 2, right: 2), mode: .replicate).scalars == [1, 1, 1, 2, 3, 3, 3])
  }

  @Test func tanhIsWithinThreeUlpOverEveryExponent() {
    // 64 mantissas per binade from 2^-30 to 2^4, both signs, and the edges: an odd count, so the padded tail
    // runs too.
    var inputs: [Float] = [
      0, -0, .infinity, -.infinity, 9.0, 9.1, 9.2, 20, 0.55, Float(0.55).nextDown, .leastNormalMagnitude / 3,
      -.leastNormalMagnitude / 3,
    ]
    for exponent in -30...4 {
      for step in 0..<64 {
        let x = Float(sign: .plus, exponent: exponent, significand: 1 + Float(step) / 64 + 0.00731)
        inputs += [x, -x]
      }
    }
    inputs.append(.nan)
    let y = tanh(Tensor(shape: [inputs.count], values: inputs)).scalars
    for (x, value) in zip(inputs, y) where !x.isNaN {
      let exact = Float(Foundation.tanh(Double(x)))
      let ulps = abs(Double(value) - Double(exact)) / Double(exact.ulp == 0 ? Float.leastNonzeroMagnitude : exact.ulp)
      #expect(ulps <= 3, "tanh(\(x)) = \(value), exact \(exact)")
      #expect(value.sign == x.sign || value == 0)
    }
    #expect(y.last!.isNaN)
  }

  /// The normalizations' apply (CKernels ck_scale_shift): the bits of Swift's unfused `x * scale + shift` and
  /// `v > 0 ? v : 0`, in place or not, over the vector body and the scalar tail (37 = 2·16 + 5), with NaN, ±0, ±inf.
  @Test(arguments: [false, true])
  func scaleShiftHasTheBitsOfUnfusedArithmetic(relu: Bool) {
    var x = randomTensor([37], seed: 65, low: -3, high: 3).scalars
    x[3] = .nan
    x[4] = -0.0
    x[5] = .infinity
    x[36] = -.infinity
    let (scale, shift): (Float, Float) = (1.7313, -0.4177)
    let expected = x.map { value -> Float in
      let v = value * scale + shift
      return relu ? (v > 0 ? v : 0) : v
    }
    var y = [Float](repeating: 7, count: x.count)
    ck_scale_shift(x, &y, x.count, scale, shift, relu ? 1 : 0)
    var inPlace = x
    inPlace.withUnsafeMutableBufferPointer {
      ck_scale_shift($0.baseAddress, $0.baseAddress, x.count, scale, shift, relu ? 1 : 0)
    }
    for result in [y, inPlace] {
      #expect(zip(result, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
    }
    #expect(!relu || y[3] == 0)  // ReLU of NaN is 0, as `v > 0 ? v : 0`
  }

  @Test func instanceNormMatchesNaiveWithBiasedVariance() {
    let x = randomTensor([2, 3, 7, 5], seed: 62, low: -2, high: 3)
    let w = randomTensor([3], seed: 63)
    let b = randomTensor([3], seed: 64)
    let (y, _) = instanceNorm(x, weight: w, bias: b)
    let plane = 35
    for n in 0..<2 {
      for c in 0..<3 {
        let values = (0..<plane).map { Double(x[flat: (n * 3 + c) * plane + $0]) }
        let mean = values.reduce(0, +) / Double(plane)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(plane)
        for i in 0..<plane {
          let expected = (values[i] - mean) / (variance + 1e-5).squareRoot() * Double(w[flat: c]) + Double(b[flat: c])
          #expect(abs(Double(y[flat: (n * 3 + c) * plane + i]) - expected) < 1e-5)
        }
      }
    }
  }

  @Test func vectorReductionsMatchDoubleSums() {
    // Lengths around the 32-float vector block and the 4096-element flush to Double; an offset mean, so that
    // squared deviations are taken from a centre far from zero.
    for count in [1, 31, 32, 33, 4095, 4096, 4097, 50_003] {
      let x = randomTensor([count], seed: UInt64(count), low: 999, high: 1001)
      let values = x.scalars.map(Double.init)
      let total = values.reduce(0, +)
      let mean = total / Double(count)
      let deviations = values.map { ($0 - Double(Float(mean))) * ($0 - Double(Float(mean))) }.reduce(0, +)
      #expect(abs(Double(sum(x.pointer, count: count)) - total) <= 1e-6 * total)
      let (moments, variance) = groupMoments(x.pointer, PlaneGroups(groups: 1, count: 1, step: 0, plane: count))
      #expect(abs(moments[0] - mean) <= 1e-6 * mean)
      #expect(abs(variance[0] * Double(count) - deviations) <= 1e-5 * max(deviations, 1e-3))
    }
  }

  /// One-pass moments merge runs of 4096 and planes of a group whose means differ by far more than their spread
  /// (the merge terms then carry almost all of the variance): against a Double two-pass reference, within the
  /// rounding of float lanes over a run (the mean ~1e-7 relative).
  @Test func momentsMergeRunsAndPlanesWithDistantMeans() {
    let (plane, planes) = (9001, 3)  // runs of 4096, 4096, 809 per plane
    var values = randomTensor([planes * plane], seed: 66, low: -1, high: 1).scalars
    for i in values.indices { values[i] += i % plane < 4096 ? 0 : 500 + Float(i / plane) * 2000 }
    let x = Tensor(shape: [planes * plane], values: values)
    let doubles = values.map(Double.init)
    let groups = [
      (PlaneGroups(groups: planes, count: 1, step: 0, plane: plane), (0..<planes).map { [$0] }),  // instance
      (PlaneGroups(groups: 1, count: planes, step: 1, plane: plane), [Array(0..<planes)]),  // batch
    ]
    for (pg, members) in groups {
      let (mean, variance) = groupMoments(x.pointer, pg)
      for (g, planesOfGroup) in members.enumerated() {
        let group = planesOfGroup.flatMap { doubles[($0 * plane)..<(($0 + 1) * plane)] }
        let mu = group.reduce(0, +) / Double(group.count)
        let exact = group.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(group.count)
        #expect(abs(mean[g] - mu) <= 1e-6 * abs(mu), "group \(g) of \(pg)")
        #expect(abs(variance[g] - exact) <= 1e-5 * exact, "group \(g) of \(pg)")
      }
    }
  }

  @Test func batchNormUpdatesRunningStatisticsAsPyTorch() {
    let x = randomTensor([3, 2, 4, 5], seed: 65)
    var runningMean = Tensor(zeros: [2])
    var runningVar = Tensor(repeating: 1, shape: [2])
    _ = batchNormTrain(x, weight: nil, bias: nil, runningMean: &runningMean, runningVar: &runningVar)
    for c in 0..<2 {
      var values: [Double] = []
      for n in 0..<3 { for i in 0..<20 { values.append(Double(x[flat: (n * 2 + c) * 20 + i])) } }
      let mean = values.reduce(0, +) / 60
      let unbiased = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 59
      #expect(abs(Double(runningMean[flat: c]) - 0.1 * mean) < 1e-6)
      #expect(abs(Double(runningVar[flat: c]) - (0.9 + 0.1 * unbiased)) < 1e-6)
    }
  }

  @Test(arguments: [(1, 5, 7), (4, 5, 7), (4, 1, 3), (3, 6, 5)])
  func fusedColourTransformHeadEqualsItsThreeOpsBitForBit(factor: Int, height: Int, width: Int) {
    let coarse = randomTensor([2, 12, height, width], seed: 92, low: -1, high: 1)
    let x = randomTensor([2, 3, height * factor, width * factor], seed: 93, low: -1, high: 1)
    let chained = tanh(localColourTransform(upsample(coarse, factor: factor, mode: .bilinear), x))
    #expect(upsampledColourTransform(coarse, factor: factor, x) == chained)
  }

  @Test func localColourTransformMatchesAPerPixelMatrixProduct() {
    let a = randomTensor([2, 12, 3, 4], seed: 90)
    let x = randomTensor([2, 3, 3, 4], seed: 91)
    let y = localColourTransform(a, x)
    var worst: Float = 0
    for b in 0..<2 {
      for r in 0..<3 {
        for q in 0..<4 {
          for c in 0..<3 {
            // y_c = x_c + Σ_k A[c][k]·x_k + b_c, A row-major in channels 0..<9, b in 9..<12.
            var expected = x[b, c, r, q] + a[b, 9 + c, r, q]
            for k in 0..<3 { expected += a[b, 3 * c + k, r, q] * x[b, k, r, q] }
            worst = max(worst, abs(y[b, c, r, q] - expected))
          }
        }
      }
    }
    #expect(worst < 1e-6)
    // Zero coefficients: the identity.
    #expect(localColourTransform(Tensor(zeros: a.shape), x) == x)
  }

  @Test func bilinearUpsamplingUsesHalfPixelCenters() {
    // PyTorch (align_corners=False): [1, 2] → [1, 1.25, 1.75, 2].
    let x = Tensor(shape: [1, 1, 1, 2], values: [1, 2])
    #expect(upsample(x, factor: 2, mode: .bilinear).scalars == [1, 1.25, 1.75, 2, 1, 1.25, 1.75, 2])
    #expect(upsample(x, factor: 2, mode: .nearest).scalars == [1, 1, 2, 2, 1, 1, 2, 2])
  }

  @Test(arguments: UpsampleMode.allCases)
  func upsampleBackwardIsTheAdjoint(_ mode: UpsampleMode) {
    let x = randomTensor([2, 2, 3, 5], seed: 66)
    let y = upsample(x, factor: 2, mode: mode)
    let dy = randomTensor(y.shape, seed: 67)
    #expect(abs(dot(y, dy) - dot(x, upsampleBackward(dy, factor: 2, mode: mode))) < 1e-4)
  }

  @Test func averagePoolingCountsPaddingAndHasAnAdjointBackward() {
    let x = Tensor(repeating: 1, shape: [1, 1, 4, 4])
    let y = avgPool2d(x, kernel: 3, stride: 2, padding: 1)
    #expect(y.shape == [1, 1, 2, 2])
    #expect(abs(y[0, 0, 0, 0] - 4.0 / 9.0) < 1e-6)  // corner window sees 4 real pixels of 9
    let x2 = randomTensor([2, 3, 7, 6], seed: 68)
    let y2 = avgPool2d(x2, kernel: 3, stride: 2, padding: 1)
    let dy = randomTensor(y2.shape, seed: 69)
    let dx = avgPool2dBackward(dy, inputShape: x2.shape, kernel: 3, stride: 2, padding: 1)
    #expect(abs(dot(y2, dy) - dot(x2, dx)) < 1e-4)
  }

  @Test func bceWithLogitsIsStableForLargeLogits() {
    let x = Tensor(shape: [4], values: [100, -100, 0, 30])
    let t = Tensor(shape: [4], values: [1, 0, 1, 0])
    // Terms: 0, 0, log 2, 30 (+ e^-30).
    #expect(abs(bceWithLogitsLoss(x, t) - Float((0 + 0 + 0.6931471805599453 + 30) / 4)) < 1e-5)
    #expect(bceWithLogitsLossBackward(x, t).scalars.allSatisfy { $0.isFinite })
  }

  @Test func l1AndMSEAreMeans() {
    let p = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
    let t = Tensor(shape: [2, 2], values: [0, 2, 5, 4])
    #expect(l1Loss(p, t) == 0.75)
    #expect(mseLoss(p, t) == 1.25)
    #expect(l1LossBackward(p, t).scalars == [0.25, 0, -0.25, 0])
  }

  @Test func concatThenSplitRestoresTheParts() {
    let a = randomTensor([2, 3, 4, 5], seed: 70)
    let b = randomTensor([2, 1, 4, 5], seed: 71)
    let c = concatChannels([a, b])
    #expect(c.shape == [2, 4, 4, 5])
    #expect(c[1, 3, 2, 1] == b[1, 0, 2, 1] && c[1, 2, 3, 4] == a[1, 2, 3, 4])
    let parts = splitChannels(c, [3, 1])
    #expect(parts[0] == a && parts[1] == b)
  }

  @Test func stackingThenUnstackingRestoresTheItems() {
    let items = (0..<3).map { randomTensor([1, 2, 4, 5], seed: 72 + UInt64($0)) }
    let batch = Tensor(stacking: items)
    #expect(batch.shape == [3, 2, 4, 5])
    #expect(batch[2, 1, 3, 4] == items[2][0, 1, 3, 4] && batch[1, 0, 0, 0] == items[1][0, 0, 0, 0])
    #expect(batch.unstacked() == items)
    #expect(Tensor(stacking: [items[0]]) == items[0])
  }

  @Test func pinnedThreadCountHoldsInsideTheBodyOnly() {
    let outside = ComputeThreads.count
    #expect(ComputeThreads.pinned(to: 3) { ComputeThreads.count } == 3)
    #expect(ComputeThreads.count == outside)
  }

  @Test func tensorsAreValuesWithCopyOnWrite() {
    let a = Tensor(repeating: 1, shape: [3])
    var b = a
    b[flat: 0] = 5
    #expect(a.scalars == [1, 1, 1] && b.scalars == [5, 1, 1])
  }

  @Test func seededGeneratorIsReproducibleAndNormalHasUnitMoments() {
    var r1 = SeededGenerator(seed: 7)
    var r2 = SeededGenerator(seed: 7)
    #expect((0..<5).map { _ in r1.next() } == (0..<5).map { _ in r2.next() })
    var rng = SeededGenerator(seed: 8)
    let t = Tensor.normal([20000], mean: 0, std: 0.02, using: &rng)
    let mean = t.mean()
    let variance = (t * t).mean() - mean * mean
    #expect(abs(mean) < 0.02 * 0.03 && abs(variance.squareRoot() - 0.02) < 0.02 * 0.03)
  }
}
