// A reflection pad followed by a convolution without padding (junyanz's residual blocks: ReflectionPad2d(1) →
// Conv2d(3×3); the generator's 7×7 ends: ReflectionPad2d(3) → Conv2d(7×7)) as one pass: the Winograd input
// transform or the small kernels' band copy read the mirrored rows and columns in place, so the padded copy of
// the activation is never made; an instance normalization (+ ReLU) before the pad — or before a zero-padded
// small-kernel convolution — is read in place too. Forward only (inference): training runs the layers one by one.

/// An instance normalization (its own statistics, affine when `weight` and `bias` are given: (C)), then ReLU with
/// `relu`: InstanceNorm2d at inference.
public struct InstanceNormalization {
  public let weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool
  public init(weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool) {
    (self.weight, self.bias, self.eps, self.relu) = (weight, bias, eps, relu)
  }
}

/// conv2d(pad2d(x, EdgePadding(padding), mode: .reflect), weight, bias) for x: (N, C, H, W), weight (K, C, k, k),
/// bias (K) or nil → (N, K, H + 2p − k + 1, W + 2p − k + 1), the same values as the two steps. With
/// `normalizedFirst`, x is first instance-normalized (then ReLU) — read in place, with the bits of instanceNorm, so
/// that the normalized activation is never written: at 2048² a residual block's 64–256 MiB pass each way.
/// Returns nil, having computed nothing, unless the convolution takes the Winograd path (`usesWinograd`) or the
/// small kernels (`usesSmallKernel`; reflection also needs padding < H, W) and its scratch memory is available:
/// the caller then normalizes, pads and convolves.
public func conv2dReflectPadded(
  _ x: Tensor, weight: Tensor, bias: Tensor?, padding p: Int, normalizedFirst norm: InstanceNormalization? = nil
) -> Tensor? {
  readingInputInPlace(x, weight: weight, bias: bias, padding: p, stride: 1, reflect: true, normalizedFirst: norm)
}

/// conv2d(relu?(instanceNorm(x)), weight, bias, ConvOptions(stride: stride, padding: padding)) with the
/// normalization read in place by the small kernels (the bits of the two steps); nil, having computed nothing,
/// where they do not take the convolution.
public func conv2dNormalizedFirst(
  _ x: Tensor, weight: Tensor, bias: Tensor?, padding p: Int, stride: Int, normalizedFirst norm: InstanceNormalization
) -> Tensor? {
  readingInputInPlace(x, weight: weight, bias: bias, padding: p, stride: stride, reflect: false, normalizedFirst: norm)
}

private func readingInputInPlace(
  _ x: Tensor, weight: Tensor, bias: Tensor?, padding p: Int, stride: Int, reflect: Bool,
  normalizedFirst norm: InstanceNormalization?
) -> Tensor? {
  guard x.rank == 4, weight.rank == 4, weight.shape[1] == x.shape[1], weight.shape[2] == weight.shape[3] else {
    return nil
  }
  let (n, c, h, w, k, kk) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weight.shape[0], weight.shape[2])
  // Checked before ConvGeometry, whose preconditions hold for these sizes.
  guard n > 0, c > 0, k > 0, kk > 0, stride >= 1, p >= 0, !reflect || (p < h && p < w), h + 2 * p >= kk,
    w + 2 * p >= kk, bias.map({ $0.shape == [k] }) ?? true,
    norm.map({ ($0.weight?.shape ?? [c]) == [c] && ($0.bias?.shape ?? [c]) == [c] }) ?? true
  else { return nil }
  let g = ConvGeometry(channels: c, height: h, width: w, kernel: kk, stride: stride, padding: p)
  let winograd = usesWinograd(g, outChannels: k)
  guard winograd || usesSmallKernel(g, outChannels: k) else { return nil }
  let normalize = norm.map { norm in
    let stats = ownStatistics(x, PlaneGroups.instance(x.shape), eps: norm.eps).stats
    return NormalizationAffine(
      mean: stats.mean, invStd: stats.invStd, channels: c, weight: norm.weight?.pointer, bias: norm.bias?.pointer,
      relu: norm.relu)
  }
  var computed = false
  let y = Tensor(shape: [n, k, g.outHeight, g.outWidth]) { y in
    guard let out = y.baseAddress else { return }
    if winograd {
      computed = winogradConvolution(
        x.pointer, batch: n, g, reflect: reflect, normalize: normalize, weight: weight.pointer, outChannels: k,
        bias: bias?.pointer, out, accumulate: false)
    } else {
      smallKernelConvolution(
        x.pointer, batch: n, g, weight: weight.pointer, outChannels: k, bias: bias?.pointer, out, accumulate: false,
        reflect: reflect, normalize: normalize)
      computed = true
    }
  }
  return computed ? y : nil
}
