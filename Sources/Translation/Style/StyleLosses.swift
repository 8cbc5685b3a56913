// The perceptual losses of neural style transfer (Gatys, Ecker & Bethge, CVPR 2016; Johnson, Alahi & Fei-Fei,
// ECCV 2016), differentiable through Autograd:
//   style loss     Σ_l w_l · MSE(G_l(x), G_l(style)) / mean(G_l(style)²),  G = F·Fᵀ/(C·H·W)  (gram in Autograd)
//   content loss   MSE(F(x), F(content)) / mean(F(content)²)
//   total variation  mean((x[i, j+1] − x[i, j])²) + mean((x[i+1, j] − x[i, j])²)  (squared, each mean over its pairs)
// Per-layer normalization: dividing by the target's mean square makes every term a relative squared error, so
// each layer contributes about equally when the optimization starts, whatever its width, resolution or the
// network's weight scale, and the same `--style-weight` works for the random network and for VGG.

/// Keeps denominators positive for all-zero targets (e.g. a flat style image through a ReLU layer).
let relativeLossEpsilon: Float = 1e-12

/// Relative Gram loss of one layer. features: (N, C, H, W); target: (C, C), the style's Gram matrix;
/// → MSE(G(features)[n], target) averaged over the batch, divided by mean(target²).
public func styleLayerLoss(_ features: Variable, target: Tensor) -> Variable {
  let (n, c) = (features.shape[0], features.shape[1])
  precondition(target.shape == [c, c], "styleLayerLoss: target \(target.shape) for \(c) channels")
  let g = gram(features)
  let repeated = Tensor(shape: [n, c, c]) { out in
    for b in 0..<n { for i in 0..<(c * c) { out[b * c * c + i] = target.pointer[i] } }
  }
  return loss(.mse, g, Variable(repeated)) * (1 / (meanSquare(target) + relativeLossEpsilon))
}

/// Relative content loss. features, target: the same shape → MSE(features, target) / mean(target²).
public func contentLoss(_ features: Variable, target: Tensor) -> Variable {
  precondition(features.shape == target.shape, "contentLoss: \(features.shape) vs \(target.shape)")
  return loss(.mse, features, Variable(target)) * (1 / (meanSquare(target) + relativeLossEpsilon))
}

/// Total variation with squared differences (Mahendran & Vedaldi's β = 2), the mean over horizontal
/// neighbour pairs plus the mean over vertical ones. images: (N, C, H, W), H, W ≥ 2 → scalar.
/// Computed by convolutions with fixed difference kernels, so it reuses the tested convolution backward.
public func totalVariation(_ images: Variable) -> Variable {
  let c = images.shape[1]
  // conv2d takes square kernels: a 2×2 kernel whose second row (column) is zero, on the image padded by one
  // zero row (column) that those zero weights never read, gives exactly the (H, W − 1) horizontal differences.
  let below = pad2d(images, EdgePadding(top: 0, bottom: 1, left: 0, right: 0), mode: .zero)
  let right = pad2d(images, EdgePadding(top: 0, bottom: 0, left: 0, right: 1), mode: .zero)
  let horizontal = conv2d(below, Variable(differenceKernel(channels: c, alongWidth: true)), nil)
  let vertical = conv2d(right, Variable(differenceKernel(channels: c, alongWidth: false)), nil)
  return mean(horizontal * horizontal) + mean(vertical * vertical)
}

/// (C, C, 2, 2) weights mapping channel c to x[c, i, j + 1] − x[c, i, j] (or x[c, i + 1, j] − x[c, i, j]).
func differenceKernel(channels c: Int, alongWidth: Bool) -> Tensor {
  var w = Tensor(zeros: [c, c, 2, 2])
  for k in 0..<c {
    w[k, k, 0, 0] = -1
    if alongWidth { w[k, k, 0, 1] = 1 } else { w[k, k, 1, 0] = 1 }
  }
  return w
}

/// mean(t²), accumulated in Double.
func meanSquare(_ t: Tensor) -> Float {
  var s = 0.0
  t.withUnsafeBufferPointer { for v in $0 { s += Double(v) * Double(v) } }
  return Float(s / Double(max(t.count, 1)))
}
