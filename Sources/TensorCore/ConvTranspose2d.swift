// Transposed convolution as PyTorch's nn.ConvTranspose2d (weights IOHW, output_padding): its forward is the
// convolution's data gradient (GEMM + col2im, no zero-stuffing) and its backward is the convolution's forward
// (Caffe's deconvolution layer). No kernel of its own.

extension ConvGeometry {
  /// Geometry of a transposed convolution whose *output* (Cout, OH, OW) is the image side and whose input
  /// (Cin, H, W) is the column side, with OH = (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1 (PyTorch).
  public static func transposed(
    outChannels: Int, inputHeight: Int, inputWidth: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
    outputPadding: Int = 0, dilation: Int = 1
  ) -> ConvGeometry {
    precondition(
      outputPadding >= 0 && outputPadding < max(stride, dilation),
      "convTranspose2d: output_padding \(outputPadding) must be smaller than stride or dilation")
    let extent = { (n: Int) in (n - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1 }
    precondition(
      extent(inputHeight) > 0 && extent(inputWidth) > 0,
      "convTranspose2d: input \(inputHeight)×\(inputWidth) with kernel \(kernel), stride \(stride), padding \(padding) gives an empty output"
    )
    // The column side is the input itself (with output_padding ≥ stride the convolution formula would give
    // one more row than the input has).
    return ConvGeometry(
      channels: outChannels, height: extent(inputHeight), width: extent(inputWidth),
      kernel: kernel, stride: stride, padding: padding, dilation: dilation,
      outHeight: inputHeight, outWidth: inputWidth)
  }
}

/// x: (N, Cin, H, W), weight: (Cin, Cout, k, k), bias: (Cout)? → y: (N, Cout, OH, OW), with `g` from
/// `ConvGeometry.transposed`. Overwrites y.
public func convTranspose2dForward(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  weight: UnsafePointer<Float>, inChannels: Int, bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
  tileBytes: Int = ColumnTiling.maxBytes
) {
  if usesSmallKernel(g, outChannels: g.channels) {
    smallKernelConvolution(
      x, batch: batch, g, weight: weight, outChannels: inChannels, bias: bias, y, accumulate: false,
      transposed: true)
    return
  }
  y.update(repeating: 0, count: batch * g.imageSize)
  conv2dBackwardData(x, batch: batch, g, weight: weight, outChannels: inChannels, y, tileBytes: tileBytes)
  if let bias {
    for n in 0..<batch { addPerChannel(y + n * g.imageSize, channels: g.channels, plane: g.height * g.width, bias) }
  }
}

/// dy: (N, Cout, OH, OW), weight: (Cin, Cout, k, k) → dx: (N, Cin, H, W), accumulated (`+=`).
public func convTranspose2dBackwardData(
  _ dy: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  weight: UnsafePointer<Float>, inChannels: Int, _ dx: UnsafeMutablePointer<Float>,
  tileBytes: Int = ColumnTiling.maxBytes
) {
  conv2dForward(
    dy, batch: batch, g, weight: weight, outChannels: inChannels, bias: nil, dx, accumulate: true,
    tileBytes: tileBytes)
}

/// dy: (N, Cout, OH, OW), x: (N, Cin, H, W) → dWeight: (Cin, Cout, k, k), accumulated (`+=`).
public func convTranspose2dBackwardWeight(
  _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  inChannels: Int, _ dWeight: UnsafeMutablePointer<Float>, tileBytes: Int = ColumnTiling.maxBytes
) {
  conv2dBackwardWeight(x, dy, batch: batch, g, outChannels: inChannels, dWeight, tileBytes: tileBytes)
}

/// Naive twin: scatter every input pixel through the kernel, Double accumulation.
/// x: (N, Cin, H, W), weight: (Cin, Cout, k, k), bias: (Cout)? → y: (N, Cout, OH, OW).
public func convTranspose2dNaive(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  weight: UnsafePointer<Float>, inChannels: Int, bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>
) {
  let (h, w, oh, ow, k, cout) = (g.outHeight, g.outWidth, g.height, g.width, g.kernel, g.channels)
  var acc = [Double](repeating: 0, count: batch * g.imageSize)
  for n in 0..<batch {
    for o in 0..<cout { for p in 0..<(oh * ow) { acc[(n * cout + o) * oh * ow + p] = Double(bias?[o] ?? 0) } }
    for c in 0..<inChannels {
      for ih in 0..<h {
        for iw in 0..<w {
          let v = Double(x[((n * inChannels + c) * h + ih) * w + iw])
          for o in 0..<cout {
            for ki in 0..<k {
              for kj in 0..<k {
                let y0 = ih * g.stride - g.padding + ki * g.dilation
                let x0 = iw * g.stride - g.padding + kj * g.dilation
                guard y0 >= 0 && y0 < oh && x0 >= 0 && x0 < ow else { continue }
                acc[((n * cout + o) * oh + y0) * ow + x0] += v * Double(weight[((c * cout + o) * k + ki) * k + kj])
              }
            }
          }
        }
      }
    }
  }
  for i in acc.indices { y[i] = Float(acc[i]) }
}
