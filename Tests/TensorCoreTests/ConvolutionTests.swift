// Convolution kernels against their naive twins over sweeps of awkward cases, tiled and untiled, and the
// adjoint identities that tie im2col to col2im and the convolution to its transpose.

import TestSupport
import Testing

@testable import TensorCore

struct ConvCase: CustomTestStringConvertible, Sendable {
  var batch: Int, channels: Int, outChannels: Int, height: Int, width: Int
  var kernel: Int, stride: Int, padding: Int, dilation: Int, outputPadding: Int = 0
  var testDescription: String {
    "n\(batch) c\(channels)→\(outChannels) \(height)×\(width) k\(kernel) s\(stride) p\(padding) d\(dilation) op\(outputPadding)"
  }
  var options: ConvOptions {
    ConvOptions(stride: stride, padding: padding, dilation: dilation, outputPadding: outputPadding)
  }
}

/// Kernel 1/3/4/7, stride 1/2, padding 0/1/3, dilation 1/2, odd sizes, batch 1 and 2.
let convCases: [ConvCase] = {
  var cases: [ConvCase] = []
  var i = 0
  for kernel in [1, 3, 4, 7] {
    for stride in [1, 2] {
      for padding in [0, 1, 3] {
        for dilation in [1, 2] {
          i += 1
          let size = 9 + (i % 4)
          guard (size + 2 * padding - dilation * (kernel - 1) - 1) >= 0 else { continue }
          cases.append(
            ConvCase(
              batch: 1 + i % 2, channels: 2 + i % 3, outChannels: 3 + i % 2,
              height: size, width: size + 2, kernel: kernel, stride: stride, padding: padding,
              dilation: dilation))
        }
      }
    }
  }
  return cases
}()

let transposedCases: [ConvCase] = convCases.flatMap { c -> [ConvCase] in
  (0..<max(c.stride, c.dilation)).map { op in
    var t = c
    t.outputPadding = op
    t.height = 3 + c.kernel % 3
    t.width = 4 + c.stride
    return t
  }.filter { t in
    (t.height - 1) * t.stride - 2 * t.padding + t.dilation * (t.kernel - 1) + t.outputPadding + 1 > 0
  }
}

@Suite struct ConvolutionTests {
  @Test(arguments: convCases)
  func conv2dForwardMatchesNaive(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 10)
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 11)
    let b = randomTensor([c.outChannels], seed: 12)
    let g = ConvGeometry(
      channels: c.channels, height: c.height, width: c.width, kernel: c.kernel,
      stride: c.stride, padding: c.padding, dilation: c.dilation)
    var naive = Tensor(zeros: [c.batch, c.outChannels, g.outHeight, g.outWidth])
    naive.withUnsafeMutableBufferPointer {
      conv2dNaive(
        x.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, bias: b.pointer, $0.baseAddress!)
    }
    #expect(maxAbsDifference(conv2d(x, weight: w, bias: b, c.options), naive) < 1e-5)
    // Tiles of a single output row exercise every tile boundary.
    var tiled = Tensor(zeros: naive.shape)
    tiled.withUnsafeMutableBufferPointer {
      conv2dForward(
        x.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, bias: b.pointer,
        $0.baseAddress!, tileBytes: 1)
    }
    #expect(maxAbsDifference(tiled, naive) < 1e-5)
  }

  @Test(arguments: transposedCases)
  func convTranspose2dForwardMatchesNaive(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 20)
    let w = randomTensor([c.channels, c.outChannels, c.kernel, c.kernel], seed: 21)
    let b = randomTensor([c.outChannels], seed: 22)
    let y = convTranspose2d(x, weight: w, bias: b, c.options)
    let g = ConvGeometry.transposed(
      outChannels: c.outChannels, inputHeight: c.height, inputWidth: c.width,
      kernel: c.kernel, stride: c.stride, padding: c.padding,
      outputPadding: c.outputPadding, dilation: c.dilation)
    #expect(
      y.shape == [
        c.batch, c.outChannels,
        (c.height - 1) * c.stride - 2 * c.padding + c.dilation * (c.kernel - 1) + c.outputPadding + 1,
        (c.width - 1) * c.stride - 2 * c.padding + c.dilation * (c.kernel - 1) + c.outputPadding + 1,
      ])
    var naive = Tensor(zeros: y.shape)
    var tiled = Tensor(zeros: y.shape)
    naive.withUnsafeMutableBufferPointer {
      convTranspose2dNaive(
        x.pointer, batch: c.batch, g, weight: w.pointer, inChannels: c.channels, bias: b.pointer, $0.baseAddress!)
    }
    tiled.withUnsafeMutableBufferPointer {
      convTranspose2dForward(
        x.pointer, batch: c.batch, g, weight: w.pointer, inChannels: c.channels, bias: b.pointer,
        $0.baseAddress!, tileBytes: 1)
    }
    #expect(maxAbsDifference(y, naive) < 1e-5)
    #expect(maxAbsDifference(tiled, naive) < 1e-5)
  }

  /// ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ with the same weights (OIHW read as IOHW).
  @Test(arguments: convCases.filter { $0.stride == 1 || $0.dilation == 1 })
  func convolutionAndTransposeAreAdjoint(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 30)
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 31)
    let cx = conv2d(x, weight: w, bias: nil, c.options)
    let y = randomTensor(cx.shape, seed: 32)
    // The transposed convolution reconstructs (H, W) exactly when output_padding makes up the stride remainder.
    let remainder = (c.height + 2 * c.padding - c.dilation * (c.kernel - 1) - 1) % c.stride
    let remainderW = (c.width + 2 * c.padding - c.dilation * (c.kernel - 1) - 1) % c.stride
    guard remainder == remainderW, remainder < max(c.stride, c.dilation) else { return }
    var o = c.options
    o.outputPadding = remainder
    let ty = convTranspose2d(y, weight: w, bias: nil, o)
    #expect(ty.shape == x.shape)
    let lhs = dot(cx, y)
    let rhs = dot(x, ty)
    #expect(abs(lhs - rhs) <= 1e-4 * max(1, abs(lhs)))
  }

  @Test(arguments: convCases)
  func im2colMatchesNaiveAndCol2imIsItsAdjoint(_ c: ConvCase) {
    let g = ConvGeometry(
      channels: c.channels, height: c.height, width: c.width, kernel: c.kernel,
      stride: c.stride, padding: c.padding, dilation: c.dilation)
    let x = randomTensor([c.channels, c.height, c.width], seed: 40)
    var fast = Tensor(zeros: [g.columnRows, g.outputPlane])
    var naive = fast
    fast.withUnsafeMutableBufferPointer { im2col(x.pointer, g, rows: 0..<g.outHeight, $0.baseAddress!) }
    naive.withUnsafeMutableBufferPointer { im2colNaive(x.pointer, g, $0.baseAddress!) }
    #expect(fast == naive)

    let cols = randomTensor([g.columnRows, g.outputPlane], seed: 41)
    var back = Tensor(zeros: x.shape)
    var backNaive = back
    back.withUnsafeMutableBufferPointer { col2im(cols.pointer, g, rows: 0..<g.outHeight, $0.baseAddress!) }
    backNaive.withUnsafeMutableBufferPointer { col2imNaive(cols.pointer, g, $0.baseAddress!) }
    #expect(maxAbsDifference(back, backNaive) < 1e-5)
    let lhs = dot(naive, cols)
    let rhs = dot(x, back)
    #expect(abs(lhs - rhs) <= 1e-4 * max(1, abs(lhs)))
  }

  @Test func directKernelForFewOutputChannelsMatchesNaive() {
    // The generator's last layer family: 7×7, stride 1, no padding, 3 outputs; widths around the 32-column block.
    for (k, width, out) in [(7, 70, 3), (7, 38, 1), (3, 40, 4), (7, 45, 2)] {
      let x = randomTensor([2, 5, 41, width], seed: 50)
      let w = randomTensor([out, 5, k, k], seed: 51)
      let b = randomTensor([out], seed: 52)
      let g = ConvGeometry(channels: 5, height: 41, width: width, kernel: k)
      var naive = Tensor(zeros: [2, out, g.outHeight, g.outWidth])
      naive.withUnsafeMutableBufferPointer {
        conv2dNaive(x.pointer, batch: 2, g, weight: w.pointer, outChannels: out, bias: b.pointer, $0.baseAddress!)
      }
      #expect(maxAbsDifference(conv2d(x, weight: w, bias: b), naive) < 5e-5)  // 245-term sums
    }
  }

  @Test func columnTilesStayUnderTheBudget() {
    // The 7×7 conv of a generator (64 channels, reflect-padded by 3): 822 MB of columns untiled at 256²,
    // about 13 GB at 1024². A tile holds as many output rows as fit ColumnTiling.maxBytes, and at least one.
    for size in [256, 1024] {
      let g = ConvGeometry(channels: 64, height: size + 6, width: size + 6, kernel: 7)
      let rowBytes = g.columnRows * g.outWidth * 4
      let rows = g.rowsPerTile(maxBytes: ColumnTiling.maxBytes)
      #expect(rows >= 1 && rows < g.outHeight)
      #expect(rows * rowBytes <= max(ColumnTiling.maxBytes, rowBytes))
      #expect((rows + 1) * rowBytes > ColumnTiling.maxBytes)
    }
    #expect(ConvGeometry(channels: 64, height: 262, width: 262, kernel: 7).columnRows * 256 * 256 * 4 == 822_083_584)
  }
}
