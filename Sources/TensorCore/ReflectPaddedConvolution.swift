// A reflection pad followed by a 3×3 convolution without padding (junyanz's residual blocks: ReflectionPad2d(1)
// → Conv2d(3×3)) as one Winograd pass: the input transform reads the mirrored rows and columns in place, so the
// padded copy of the activation is never made; an instance normalization (+ ReLU) before the pad is read in
// place too. Forward only (inference): training runs the layers one by one.

/// An instance normalization (its own statistics, affine when `weight` and `bias` are given: (C)), then ReLU with
/// `relu`: InstanceNorm2d at inference.
public struct InstanceNormalization {
  public let weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool
  public init(weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool) {
    (self.weight, self.bias, self.eps, self.relu) = (weight, bias, eps, relu)
  }
}

/// conv2d(pad2d(x, EdgePadding(padding), mode: .reflect), weight, bias) for x: (N, C, H, W), weight (K, C, 3, 3),
/// bias (K) or nil → (N, K, H + 2p − 2, W + 2p − 2), the same values as the two steps (the same tiles see the same
/// inputs). With `normalizedFirst`, x is first instance-normalized (then ReLU) — read in place by the input
/// transform, with the bits of instanceNorm, so that the normalized activation is never written: at 2048² a
/// residual block's 64–256 MiB pass each way. Returns nil, having computed nothing, unless that convolution
/// takes the Winograd path (see `usesWinograd`; reflection also needs padding < H, W) and its scratch memory is
/// available: the caller then normalizes, pads and convolves.
public func conv2dReflectPadded(
  _ x: Tensor, weight: Tensor, bias: Tensor?, padding p: Int, normalizedFirst norm: InstanceNormalization? = nil
) -> Tensor? {
  guard x.rank == 4, weight.rank == 4, Array(weight.shape[1...]) == [x.shape[1], 3, 3] else { return nil }
  let (n, c, h, w, k) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weight.shape[0])
  // Checked before ConvGeometry, whose preconditions hold for these sizes.
  guard n > 0, c > 0, p >= 0, p < h, p < w, h + 2 * p - 2 >= 4, w + 2 * p - 2 >= 4,
    bias.map({ $0.shape == [k] }) ?? true,
    norm.map({ ($0.weight?.shape ?? [c]) == [c] && ($0.bias?.shape ?? [c]) == [c] }) ?? true
  else { return nil }
  let g = ConvGeometry(channels: c, height: h, width: w, kernel: 3, padding: p)
  guard usesWinograd(g, outChannels: k) else { return nil }
  let normalize = norm.map { norm in
    let stats = ownStatistics(x, PlaneGroups.instance(x.shape), eps: norm.eps).stats
    return NormalizationAffine(
      mean: stats.mean, invStd: stats.invStd, channels: c, weight: norm.weight?.pointer, bias: norm.bias?.pointer,
      relu: norm.relu)
  }
  var computed = false
  let y = Tensor(shape: [n, k, g.outHeight, g.outWidth]) { y in
    guard let out = y.baseAddress else { return }
    computed = winogradConvolution(
      x.pointer, batch: n, g, reflect: true, normalize: normalize, weight: weight.pointer, outChannels: k,
      bias: bias?.pointer, out, accumulate: false)
  }
  return computed ? y : nil
}
