// A reflection pad followed by a 3×3 convolution without padding (junyanz's residual blocks: ReflectionPad2d(1)
// → Conv2d(3×3)) as one Winograd pass: the input transform reads the mirrored rows and columns in place, so the
// padded copy of the activation is never made. Forward only (inference): training runs the two layers.

/// conv2d(pad2d(x, EdgePadding(padding), mode: .reflect), weight, bias) for x: (N, C, H, W), weight (K, C, 3, 3),
/// bias (K) or nil → (N, K, H + 2p − 2, W + 2p − 2), the same values as the two steps (the same tiles see the same
/// inputs). Returns nil, having computed nothing, unless that convolution takes the Winograd path (see
/// `usesWinograd`; reflection also needs padding < H, W) and its scratch memory is available: the caller then
/// pads and convolves.
public func conv2dReflectPadded(_ x: Tensor, weight: Tensor, bias: Tensor?, padding p: Int) -> Tensor? {
  guard x.rank == 4, weight.rank == 4, Array(weight.shape[1...]) == [x.shape[1], 3, 3] else { return nil }
  let (n, c, h, w, k) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weight.shape[0])
  // Checked before ConvGeometry, whose preconditions hold for these sizes.
  guard n > 0, c > 0, p >= 0, p < h, p < w, h + 2 * p - 2 >= 4, w + 2 * p - 2 >= 4,
    bias.map({ $0.shape == [k] }) ?? true
  else { return nil }
  let g = ConvGeometry(channels: c, height: h, width: w, kernel: 3, padding: p)
  guard usesWinograd(g, outChannels: k) else { return nil }
  var computed = false
  let y = Tensor(shape: [n, k, g.outHeight, g.outWidth]) { y in
    guard let out = y.baseAddress else { return }
    computed = winogradConvolution(
      x.pointer, batch: n, g, reflect: true, weight: weight.pointer, outChannels: k, bias: bias?.pointer, out,
      accumulate: false)
  }
  return computed ? y : nil
}
