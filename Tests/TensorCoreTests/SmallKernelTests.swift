// The direct kernels for few output channels (CKernels/conv_small.c) against the naive twins: the convolution,
// the transposed convolution as sub-pixel convolutions, and both data gradients, over channel counts 1–64,
// ragged widths around the 24-column register block, padding 0/1/3, stride 1/2, batch 1/2; the stride-2 band split
// at every edge lane; row ranges.

import CKernels
import TestSupport
import Testing

@testable import TensorCore

/// Kernel 1/3/4/7 × stride 1/2 × padding 0/1/3, channel counts from 1 to 64, widths 5…53 (not multiples of 24).
let smallKernelCases: [ConvCase] = {
  var cases: [ConvCase] = []
  var i = 0
  let channelPairs = [(1, 1), (3, 16), (16, 3), (5, 7), (16, 32), (64, 12), (32, 64), (2, 64)]
  for kernel in [1, 3, 4, 7] {
    for stride in [1, 2] {
      for padding in [0, 1, 3] {
        i += 1
        let (c, k) = channelPairs[i % channelPairs.count]
        let height = kernel + 2 + i % 5
        let width = [kernel + 4, 25, 31, 49, 53][i % 5]
        cases.append(
          ConvCase(
            batch: 1 + i % 2, channels: c, outChannels: k, height: height, width: width, kernel: kernel,
            stride: stride, padding: padding, dilation: 1, outputPadding: i % stride))
      }
    }
  }
  return cases
}()

/// |a − b| relative to the largest |b|: sums of up to 64·49 terms, observed up to 2.3·10⁻⁶ in float.
func relativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
  var largest: Float = 1
  for i in 0..<b.count { largest = max(largest, abs(b.pointer[i])) }
  return maxAbsDifference(a, b) / largest
}

/// Naive weight gradient: dw[o, c, i, j] = Σ dy[n, o, oh, ow] · x[n, c, oh·s − p + i, ow·s − p + j], in Double.
func weightGradientNaive(_ dy: Tensor, _ x: Tensor, _ g: ConvGeometry, outChannels: Int) -> Tensor {
  let (n, k) = (x.shape[0], g.kernel)
  var dw = [Double](repeating: 0, count: outChannels * g.columnRows)
  for b in 0..<n {
    for o in 0..<outChannels {
      for oh in 0..<g.outHeight {
        for ow in 0..<g.outWidth {
          let d = Double(dy.pointer[((b * outChannels + o) * g.outHeight + oh) * g.outWidth + ow])
          for c in 0..<g.channels {
            for i in 0..<k {
              for j in 0..<k {
                let (ih, iw) = (oh * g.stride - g.padding + i, ow * g.stride - g.padding + j)
                guard ih >= 0 && ih < g.height && iw >= 0 && iw < g.width else { continue }
                dw[((o * g.channels + c) * k + i) * k + j] +=
                  d * Double(x.pointer[((b * g.channels + c) * g.height + ih) * g.width + iw])
              }
            }
          }
        }
      }
    }
  }
  return Tensor(shape: [outChannels, g.channels, k, k]) { out in for i in dw.indices { out[i] = Float(dw[i]) } }
}

@Suite struct SmallKernelTests {
  @Test(arguments: smallKernelCases)
  func directConvolutionAndItsDataGradientMatchNaive(_ c: ConvCase) {
    let g = ConvGeometry(
      channels: c.channels, height: c.height, width: c.width, kernel: c.kernel, stride: c.stride,
      padding: c.padding)
    #expect(usesSmallKernel(g, outChannels: c.outChannels) || ck_has_avx2_fma() == 0)
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 60)
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 61)
    let b = randomTensor([c.outChannels], seed: 62)
    var naive = Tensor(zeros: [c.batch, c.outChannels, g.outHeight, g.outWidth])
    naive.withUnsafeMutableBufferPointer {
      conv2dNaive(
        x.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, bias: b.pointer, $0.baseAddress!)
    }
    #expect(relativeDifference(conv2d(x, weight: w, bias: b, c.options), naive) < 5e-6)

    // dx = the transposed convolution of dy with the same weight (read as IOHW), accumulated onto dx.
    let dy = randomTensor(naive.shape, seed: 63)
    var dxNaive = Tensor(zeros: x.shape)
    dxNaive.withUnsafeMutableBufferPointer {
      convTranspose2dNaive(
        dy.pointer, batch: c.batch, g, weight: w.pointer, inChannels: c.outChannels, bias: nil, $0.baseAddress!)
    }
    let grads = conv2dGradients(dy, x: x, weight: w, c.options, GradientRequest(bias: false))
    #expect(relativeDifference(grads.input!, dxNaive) < 5e-6)
    let dwNaive = weightGradientNaive(dy, x, g, outChannels: c.outChannels)
    #expect(relativeDifference(grads.weight!, dwNaive) < 5e-6)
  }

  @Test(
    arguments: smallKernelCases.filter { c in
      (min(c.height, c.width) - 1) * c.stride - 2 * c.padding + c.kernel + c.outputPadding > 0
    })
  func subPixelTransposedConvolutionAndItsDataGradientMatchNaive(_ c: ConvCase) {
    let g = ConvGeometry.transposed(
      outChannels: c.outChannels, inputHeight: c.height, inputWidth: c.width, kernel: c.kernel,
      stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 70)
    let w = randomTensor([c.channels, c.outChannels, c.kernel, c.kernel], seed: 71)
    let b = randomTensor([c.outChannels], seed: 72)
    var naive = Tensor(zeros: [c.batch, c.outChannels, g.height, g.width])
    naive.withUnsafeMutableBufferPointer {
      convTranspose2dNaive(
        x.pointer, batch: c.batch, g, weight: w.pointer, inChannels: c.channels, bias: b.pointer, $0.baseAddress!)
    }
    #expect(relativeDifference(convTranspose2d(x, weight: w, bias: b, c.options), naive) < 5e-6)

    // dx = the stride-s convolution of dy with the same weight (read as OIHW with O = the input channels).
    let dy = randomTensor(naive.shape, seed: 73)
    var dxNaive = Tensor(zeros: x.shape)
    dxNaive.withUnsafeMutableBufferPointer {
      conv2dNaive(dy.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.channels, bias: nil, $0.baseAddress!)
    }
    let dx = convTranspose2dGradients(dy, x: x, weight: w, c.options, GradientRequest(weight: false, bias: false))
      .input!
    #expect(relativeDifference(dx, dxNaive) < 5e-6)
  }

  @Test(arguments: [0, 1, 2, 3, 5, 17])
  func strideTwoBandSplitMatchesNaiveAtEveryEdgeLane(_ padding: Int) {
    // The stride-2 band split reads each source row with vector loads masked at both image edges: widths 1…40 put
    // the edges at every lane, padding 17 gives whole vectors of zeros on the left. The weight gradient reads the
    // same bands; the data gradient reads stride-1 bands (zeros, the row, zeros).
    for width in 1...40 where width + 2 * padding >= 3 {
      let g = ConvGeometry(channels: 3, height: 6, width: width, kernel: 3, stride: 2, padding: padding)
      #expect(usesSmallKernel(g, outChannels: 7) || ck_has_avx2_fma() == 0)
      let o = ConvOptions(stride: 2, padding: padding)
      let x = randomTensor([1, 3, 6, width], seed: UInt64(100 + width))
      let w = randomTensor([7, 3, 3, 3], seed: 101)
      let b = randomTensor([7], seed: 102)
      var naive = Tensor(zeros: [1, 7, g.outHeight, g.outWidth])
      naive.withUnsafeMutableBufferPointer {
        conv2dNaive(x.pointer, batch: 1, g, weight: w.pointer, outChannels: 7, bias: b.pointer, $0.baseAddress!)
      }
      #expect(relativeDifference(conv2d(x, weight: w, bias: b, o), naive) < 5e-6, "width \(width)")
      let dy = randomTensor(naive.shape, seed: 103)
      var dxNaive = Tensor(zeros: x.shape)
      dxNaive.withUnsafeMutableBufferPointer {
        convTranspose2dNaive(dy.pointer, batch: 1, g, weight: w.pointer, inChannels: 7, bias: nil, $0.baseAddress!)
      }
      let grads = conv2dGradients(dy, x: x, weight: w, o, GradientRequest(bias: false))
      #expect(relativeDifference(grads.input!, dxNaive) < 5e-6, "width \(width)")
      #expect(relativeDifference(grads.weight!, weightGradientNaive(dy, x, g, outChannels: 7)) < 5e-6, "width \(width)")
    }
  }

  @Test(arguments: [false, true])
  func rowRangesWriteOnlyTheirRows(_ accumulate: Bool) {
    // The threads split output rows: each call must write exactly rows [begin, end) of every channel (bands start
    // mid-image, the last band is short) and, accumulating, add to them. d32 and u16 shapes at 23×29 / 12×15.
    guard ck_has_avx2_fma() != 0 else { return }
    let g = ConvGeometry(channels: 16, height: 23, width: 29, kernel: 3, stride: 2, padding: 1)
    let gt = ConvGeometry.transposed(
      outChannels: 16, inputHeight: 12, inputWidth: 15, kernel: 3, stride: 2, padding: 1, outputPadding: 1)
    let x = randomTensor([1, 16, 23, 29], seed: 110)
    let w = randomTensor([32, 16, 3, 3], seed: 111)
    let h = randomTensor([1, 32, 12, 15], seed: 112)
    let b = randomTensor([32], seed: 113)
    var naive = Tensor(zeros: [1, 32, g.outHeight, g.outWidth])
    naive.withUnsafeMutableBufferPointer {
      conv2dNaive(x.pointer, batch: 1, g, weight: w.pointer, outChannels: 32, bias: b.pointer, $0.baseAddress!)
    }
    var naiveUp = Tensor(zeros: [1, 16, gt.height, gt.width])
    naiveUp.withUnsafeMutableBufferPointer {
      convTranspose2dNaive(h.pointer, batch: 1, gt, weight: w.pointer, inChannels: 32, bias: b.pointer, $0.baseAddress!)
    }
    let start: Float = accumulate ? 0.5 : 7
    for (rows, transposed) in [(g.outHeight, false), (gt.height, true)] {
      for (begin, end) in [(0, 1), (1, 4), (3, rows - 2), (rows - 1, rows)] {
        let reference = transposed ? naiveUp : naive
        var y = Tensor(shape: reference.shape, values: [Float](repeating: start, count: reference.count))
        let status = y.withUnsafeMutableBufferPointer { out in
          transposed
            ? ck_conv_transpose2d_small(
              h.pointer, 32, 12, 15, w.pointer, b.pointer, 16, 3, 2, 1, Int32(gt.height), Int32(gt.width),
              out.baseAddress!, accumulate ? 1 : 0, Int32(begin), Int32(end))
            : ck_conv2d_small(
              x.pointer, 16, 23, 29, w.pointer, b.pointer, 32, 3, 2, 1, Int32(g.outHeight), Int32(g.outWidth),
              out.baseAddress!, accumulate ? 1 : 0, Int32(begin), Int32(end))
        }
        #expect(status == 0)
        let (channels, width) = (reference.shape[1], reference.shape[3])
        var (worst, largest): (Float, Float) = (0, 1)
        for c in 0..<channels {
          for r in 0..<rows {
            for i in 0..<width {
              let at = (c * rows + r) * width + i
              // Accumulating ignores the bias: the result is start + (reference − bias).
              let expected =
                r < begin || r >= end
                ? start : accumulate ? start + reference.pointer[at] - b.pointer[c] : reference.pointer[at]
              worst = max(worst, abs(y.pointer[at] - expected))
              largest = max(largest, abs(expected))
            }
          }
        }
        #expect(worst / largest < 5e-6, "rows \(begin)..<\(end) transposed \(transposed)")
      }
    }
  }

  @Test func generatorLayersMatchNaive() {
    // ResNet-6 ngf16's d32 and u16 at 37×41 (ragged against the 24-column block, odd rows for the phases).
    let x = randomTensor([1, 16, 37, 41], seed: 80)
    let w = randomTensor([32, 16, 3, 3], seed: 81)
    let o = ConvOptions(stride: 2, padding: 1)
    let g = ConvGeometry(channels: 16, height: 37, width: 41, kernel: 3, stride: 2, padding: 1)
    var naive = Tensor(zeros: [1, 32, g.outHeight, g.outWidth])
    naive.withUnsafeMutableBufferPointer {
      conv2dNaive(x.pointer, batch: 1, g, weight: w.pointer, outChannels: 32, bias: nil, $0.baseAddress!)
    }
    #expect(relativeDifference(conv2d(x, weight: w, bias: nil, o), naive) < 5e-6)
    let u = randomTensor([32, 16, 3, 3], seed: 82)
    let up = ConvOptions(stride: 2, padding: 1, outputPadding: 1)
    let gt = ConvGeometry.transposed(
      outChannels: 16, inputHeight: 19, inputWidth: 21, kernel: 3, stride: 2, padding: 1, outputPadding: 1)
    let h = randomTensor([1, 32, 19, 21], seed: 83)
    var naiveUp = Tensor(zeros: [1, 16, 38, 42])
    naiveUp.withUnsafeMutableBufferPointer {
      convTranspose2dNaive(h.pointer, batch: 1, gt, weight: u.pointer, inChannels: 32, bias: nil, $0.baseAddress!)
    }
    #expect(relativeDifference(convTranspose2d(h, weight: u, bias: nil, up), naiveUp) < 5e-6)
  }

  @Test func excludingTheSmallKernelsTakesTheColumnsPathWithTheSameResults() {
    // d32 of the quick generator (16 → 32, stride 2): every pass routes to the small kernels by default.
    let x = randomTensor([1, 16, 37, 41], seed: 90)
    let w = randomTensor([32, 16, 3, 3], seed: 91)
    let o = ConvOptions(stride: 2, padding: 1)
    let g = ConvGeometry(channels: 16, height: 37, width: 41, kernel: 3, stride: 2, padding: 1)
    let dy = randomTensor([1, 32, g.outHeight, g.outWidth], seed: 92)
    #expect(usesSmallKernelForWeightGradient(g, outChannels: 32) || ck_has_avx2_fma() == 0)
    let y = conv2d(x, weight: w, bias: nil, o)
    let grads = conv2dGradients(dy, x: x, weight: w, o, GradientRequest(bias: false))
    ConvolutionRouting.$excluded.withValue([.small]) {
      #expect(!usesSmallKernel(g, outChannels: 32))
      #expect(relativeDifference(conv2d(x, weight: w, bias: nil, o), y) < 5e-6)
      let columns = conv2dGradients(dy, x: x, weight: w, o, GradientRequest(bias: false))
      #expect(relativeDifference(columns.input!, grads.input!) < 5e-6)
      #expect(relativeDifference(columns.weight!, grads.weight!) < 5e-6)
    }
  }
}
