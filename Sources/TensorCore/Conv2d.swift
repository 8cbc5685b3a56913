// 2-D convolution as PyTorch's nn.Conv2d (groups = 1): y = W · im2col(x) + b, data gradient col2im(Wᵀ · dY),
// weight gradient dY · im2col(x)ᵀ (Caffe). All three work on tiles of output rows to bound the column buffer.

import CKernels

/// x: (N, C, H, W), weight: (K, C, k, k), bias: (K) or nil → y: (N, K, OH, OW).
/// Overwrites y, or adds to it with `accumulate` (the transposed convolution's data gradient).
public func conv2dForward(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  weight: UnsafePointer<Float>, outChannels: Int, bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
  accumulate: Bool = false, tileBytes: Int = ColumnTiling.maxBytes
) {
  let plane = g.outputPlane
  if !accumulate && usesDirectKernel(g, outChannels: outChannels) && !usesSmallKernel(g, outChannels: outChannels) {
    let xs = SendablePointer(x)
    let ys = SendablePointer(y)
    let ws = SendablePointer(weight)
    let bs = bias.map { SendablePointer($0) }
    for n in 0..<batch {
      parallelFor(g.outHeight, grain: 4) { rows in
        ck_conv2d_direct_forward(
          xs.base + n * g.imageSize, Int32(g.channels), Int32(g.height), Int32(g.width), ws.base, bs?.base,
          Int32(outChannels), Int32(g.kernel), ys.base + n * outChannels * plane,
          Int32(rows.lowerBound), Int32(rows.upperBound))
      }
    }
    return
  }
  if usesWinograd(g, outChannels: outChannels)
    && winogradConvolution(
      x, batch: batch, g, weight: weight, outChannels: outChannels, bias: bias, y,
      accumulate: accumulate)
  {
    return
  }
  if usesSmallKernel(g, outChannels: outChannels) {
    smallKernelConvolution(
      x, batch: batch, g, weight: weight, outChannels: outChannels, bias: bias, y, accumulate: accumulate)
    return
  }
  for n in 0..<batch {
    let image = x + n * g.imageSize
    let out = y + n * outChannels * plane
    forEachColumnTile(image, g, tileBytes: tileBytes) { rows, columns in
      gemm(
        m: outChannels, n: rows.count * g.outWidth, k: g.columnRows, weight, lda: g.columnRows,
        columns, ldb: rows.count * g.outWidth, beta: accumulate ? 1 : 0, out + rows.lowerBound * g.outWidth,
        ldc: plane)
    }
    if let bias { addPerChannel(out, channels: outChannels, plane: plane, bias) }
  }
}

/// dy: (N, K, OH, OW), weight: (K, C, k, k) → dx: (N, C, H, W), accumulated (`+=`).
public func conv2dBackwardData(
  _ dy: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  weight: UnsafePointer<Float>, outChannels: Int, _ dx: UnsafeMutablePointer<Float>,
  tileBytes: Int = ColumnTiling.maxBytes
) {
  let plane = g.outputPlane
  if usesSmallKernel(g, outChannels: g.channels) && !usesWinograd(g, outChannels: outChannels) {
    // The data gradient is the transposed convolution of dy with the same weight (K, C, k, k) read as IOHW.
    smallKernelConvolution(
      dy, batch: batch, g, weight: weight, outChannels: outChannels, bias: nil, dx, accumulate: true,
      transposed: true)
    return
  }
  if usesDirectKernel(g, outChannels: outChannels) {
    // A K-row GEMM is slow: dx is the convolution of dy, zero-padded by k − 1, with the flipped kernel
    // (C output rows instead of K).
    let flipped = flippedKernel(weight, outChannels: outChannels, channels: g.channels, kernel: g.kernel)
    let full = ConvGeometry(
      channels: outChannels, height: g.outHeight, width: g.outWidth, kernel: g.kernel,
      padding: g.kernel - 1)
    conv2dForward(
      dy, batch: batch, full, weight: flipped.pointer, outChannels: g.channels, bias: nil, dx,
      accumulate: true, tileBytes: tileBytes)
    return
  }
  if usesWinograd(g, outChannels: outChannels) {
    // dx is the convolution of dy, zero-padded by 2 − p, with the kernel transposed and rotated by 180°.
    let full = ConvGeometry(
      channels: outChannels, height: g.outHeight, width: g.outWidth, kernel: 3,
      padding: 2 - g.padding)
    if winogradConvolution(
      dy, batch: batch, full, weight: weight, flipped: true, outChannels: g.channels, bias: nil,
      dx, accumulate: true)
    {
      return
    }
  }
  for n in 0..<batch {
    let grad = dy + n * outChannels * plane
    let image = dx + n * g.imageSize
    if g.isIdentityColumns {
      gemm(
        transA: true, m: g.columnRows, n: plane, k: outChannels, weight, lda: g.columnRows,
        grad, ldb: plane, beta: 1, image, ldc: plane)
      continue
    }
    let rowsPerTile = g.rowsPerTile(maxBytes: tileBytes)
    Scratch.withBuffer(g.columnRows * rowsPerTile * g.outWidth) { columns in
      for start in stride(from: 0, to: g.outHeight, by: rowsPerTile) {
        let rows = start..<min(start + rowsPerTile, g.outHeight)
        let tileN = rows.count * g.outWidth
        gemm(
          transA: true, m: g.columnRows, n: tileN, k: outChannels, weight, lda: g.columnRows,
          grad + start * g.outWidth, ldb: plane, columns, ldc: tileN)
        col2im(columns, g, rows: rows, image)
      }
    }
  }
}

/// dy: (N, K, OH, OW), x: (N, C, H, W) → dWeight: (K, C, k, k), accumulated (`+=`).
public func conv2dBackwardWeight(
  _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  outChannels: Int, _ dWeight: UnsafeMutablePointer<Float>, tileBytes: Int = ColumnTiling.maxBytes
) {
  let plane = g.outputPlane
  if usesDirectKernel(g, outChannels: outChannels) {
    let (dys, xs, dws) = (SendablePointer(dy), SendablePointer(x), SendablePointer(dWeight))
    for n in 0..<batch {
      // Threads own disjoint input channels, hence disjoint slices of dWeight.
      parallelFor(g.channels) { channels in
        ck_conv2d_direct_backward_weight(
          dys.base + n * outChannels * plane, xs.base + n * g.imageSize, Int32(g.channels), Int32(g.height),
          Int32(g.width), Int32(outChannels), Int32(g.kernel), dws.base, Int32(channels.lowerBound),
          Int32(channels.upperBound))
      }
    }
    return
  }
  if usesWinograd(g, outChannels: outChannels)
    && winogradWeightGradient(dy, x, batch: batch, g, outChannels: outChannels, dWeight)
  {
    return
  }
  if usesSmallKernelForWeightGradient(g, outChannels: outChannels) {
    smallKernelWeightGradient(dy, x, batch: batch, g, outChannels: outChannels, dWeight)
    return
  }
  for n in 0..<batch {
    let grad = dy + n * outChannels * plane
    forEachColumnTile(x + n * g.imageSize, g, tileBytes: tileBytes) { rows, columns in
      let tileN = rows.count * g.outWidth
      gemm(
        transB: true, m: outChannels, n: g.columnRows, k: tileN, grad + rows.lowerBound * g.outWidth,
        lda: plane, columns, ldb: tileN, beta: 1, dWeight, ldc: g.columnRows)
    }
  }
}

/// dy: (N, K, P) → dBias: (K), accumulated (`+=`).
public func conv2dBackwardBias(
  _ dy: UnsafePointer<Float>, batch: Int, channels: Int, plane: Int, _ dBias: UnsafeMutablePointer<Float>
) {
  for n in 0..<batch {
    for k in 0..<channels {
      dBias[k] += sum(dy + (n * channels + k) * plane, count: plane)
    }
  }
}

/// Calls `body(rows, columns)` for each tile of output rows with `columns` = im2col of that tile
/// (C·k·k, rows.count·OW). A 1×1 stride-1 unpadded convolution uses the image itself.
func forEachColumnTile(
  _ image: UnsafePointer<Float>, _ g: ConvGeometry, tileBytes: Int,
  _ body: (Range<Int>, UnsafePointer<Float>) -> Void
) {
  if g.isIdentityColumns {
    body(0..<g.outHeight, image)
    return
  }
  let rowsPerTile = g.rowsPerTile(maxBytes: tileBytes)
  Scratch.withBuffer(g.columnRows * rowsPerTile * g.outWidth) { columns in
    for start in stride(from: 0, to: g.outHeight, by: rowsPerTile) {
      let rows = start..<min(start + rowsPerTile, g.outHeight)
      im2col(image, g, rows: rows, columns)
      body(rows, columns)
    }
  }
}

/// Direct convolution (x: (N, C, H, W), weight (K, C, k, k) → y: (N, K, OH, OW)) or, `transposed`, the
/// transposed convolution of the column side (x: (N, K, OH, OW), weight (K, C, k, k) as IOHW) onto the image
/// side y: (N, C, H, W). Output rows are split over the threads; `accumulate` adds to y (bias ignored).
/// Without `transposed`, the input can be read through a reflection pad (`reflect`: g.padding mirrored; the
/// caller checks g.padding < H, W) and a normalization (`normalize`, C channels per image) — see
/// ck_conv2d_small_mapped.
func smallKernelConvolution(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, weight: UnsafePointer<Float>, outChannels: Int,
  bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, accumulate: Bool, transposed: Bool = false,
  reflect: Bool = false, normalize: NormalizationAffine? = nil
) {
  let (xs, ws, ys, bs) = (
    SendablePointer(x), SendablePointer(weight), SendablePointer(y), bias.map(SendablePointer.init)
  )
  let (inputSize, outputSize) =
    transposed ? (outChannels * g.outputPlane, g.imageSize) : (g.imageSize, outChannels * g.outputPlane)
  let rows = transposed ? g.height : g.outHeight
  NormalizationAffine.perImage(normalize, batch: batch, channels: g.channels) { imageAffines in
    for n in 0..<batch {
      let affine = imageAffines[n]
      parallelFor(rows, grain: 2) { r in
        var map = ck_input_map(
          reflect: reflect ? 1 : 0, scale: affine?.scale.base, shift: affine?.shift.base, relu: affine?.relu ?? 0)
        let status = withUnsafePointer(to: &map) { mapped in
          transposed
            ? ck_conv_transpose2d_small(
              xs.base + n * inputSize, Int32(outChannels), Int32(g.outHeight), Int32(g.outWidth), ws.base, bs?.base,
              Int32(g.channels), Int32(g.kernel), Int32(g.stride), Int32(g.padding), Int32(g.height), Int32(g.width),
              ys.base + n * outputSize, accumulate ? 1 : 0, Int32(r.lowerBound), Int32(r.upperBound))
            : ck_conv2d_small_mapped(
              xs.base + n * inputSize, Int32(g.channels), Int32(g.height), Int32(g.width),
              reflect || affine != nil ? mapped : nil, ws.base, bs?.base, Int32(outChannels), Int32(g.kernel),
              Int32(g.stride), Int32(g.padding), Int32(g.outHeight), Int32(g.outWidth), ys.base + n * outputSize,
              accumulate ? 1 : 0, Int32(r.lowerBound), Int32(r.upperBound))
        }
        precondition(status == 0, "direct convolution: scratch allocation failed")
      }
    }
  }
}

/// dy: (N, K, OH, OW), x: (N, C, H, W) → dWeight: (K, C, k, k), accumulated (`+=`), by the direct kernel: each
/// thread sums its share of output rows into a private copy of dWeight, added up at the end.
func smallKernelWeightGradient(
  _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, outChannels: Int,
  _ dWeight: UnsafeMutablePointer<Float>
) {
  let size = outChannels * g.columnRows
  let chunks = max(1, min(ComputeThreads.count, g.outHeight / 2))
  var partial = Tensor(zeros: [chunks, size])
  let (dys, xs) = (SendablePointer(dy), SendablePointer(x))
  partial.withUnsafeMutableBufferPointer { buffer in
    let sums = SendablePointer(buffer.baseAddress!)
    parallelFor(chunks) { range in
      for t in range {
        for n in 0..<batch {
          let status = ck_conv2d_small_backward_weight(
            dys.base + n * outChannels * g.outputPlane, xs.base + n * g.imageSize, Int32(g.channels),
            Int32(g.height), Int32(g.width), Int32(outChannels), Int32(g.kernel), Int32(g.stride),
            Int32(g.padding), Int32(g.outHeight), Int32(g.outWidth), sums.base + t * size,
            Int32(g.outHeight * t / chunks), Int32(g.outHeight * (t + 1) / chunks))
          precondition(status == 0, "direct convolution: scratch allocation failed")
        }
      }
    }
  }
  for t in 0..<chunks {
    for i in 0..<size { dWeight[i] += partial.pointer[t * size + i] }
  }
}

/// weight: (K, C, k, k) → (C, K, k, k) rotated by 180°: the kernel of the data gradient as a convolution.
func flippedKernel(_ weight: UnsafePointer<Float>, outChannels: Int, channels: Int, kernel k: Int) -> Tensor {
  Tensor(shape: [channels, outChannels, k, k]) { out in
    for o in 0..<outChannels {
      for c in 0..<channels {
        for i in 0..<(k * k) {
          out[(c * outChannels + o) * k * k + (k * k - 1 - i)] = weight[(o * channels + c) * k * k + i]
        }
      }
    }
  }
}

/// out[c, p] += bias[c] for out: (C, P).
func addPerChannel(_ out: UnsafeMutablePointer<Float>, channels: Int, plane: Int, _ bias: UnsafePointer<Float>) {
  for c in 0..<channels {
    let row = out + c * plane
    let b = bias[c]
    for p in 0..<plane { row[p] += b }
  }
}

/// Sum of `count` floats: float lanes flushed to Double every 4096 elements (CKernels/reduce.c).
@inlinable public func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
  Float(ck_sum(p, count))
}

// MARK: - Naive reference (tests)

/// Naive twin of the convolution: seven loops, Double accumulation, one bounds test per tap.
/// x: (N, C, H, W), weight: (K, C, k, k), bias: (K)? → y: (N, K, OH, OW).
public func conv2dNaive(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  weight: UnsafePointer<Float>, outChannels: Int, bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>
) {
  for n in 0..<batch {
    for o in 0..<outChannels {
      for oh in 0..<g.outHeight {
        for ow in 0..<g.outWidth {
          var s = Double(bias?[o] ?? 0)
          for c in 0..<g.channels {
            for ki in 0..<g.kernel {
              for kj in 0..<g.kernel {
                let ih = oh * g.stride - g.padding + ki * g.dilation
                let iw = ow * g.stride - g.padding + kj * g.dilation
                guard ih >= 0 && ih < g.height && iw >= 0 && iw < g.width else { continue }
                s +=
                  Double(weight[((o * g.channels + c) * g.kernel + ki) * g.kernel + kj])
                  * Double(x[((n * g.channels + c) * g.height + ih) * g.width + iw])
              }
            }
          }
          y[((n * outChannels + o) * g.outHeight + oh) * g.outWidth + ow] = Float(s)
        }
      }
    }
  }
}
