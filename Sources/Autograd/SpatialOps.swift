// Differentiable padding, upsampling and average pooling.

/// x: (N, C, H, W) → (N, C, H + top + bottom, W + left + right)
public func pad2d(_ x: Variable, _ p: EdgePadding, mode: PaddingMode) -> Variable {
  let shape = x.shape
  return Variable(TensorCore.pad2d(x.value, p, mode: mode), parents: [x]) { dy in
    [pad2dBackward(dy, inputShape: shape, p, mode: mode)]
  }
}
/// x: (N, C, H, W) → (N, C, H·f, W·f)
public func upsample(_ x: Variable, factor: Int, mode: UpsampleMode) -> Variable {
  Variable(TensorCore.upsample(x.value, factor: factor, mode: mode), parents: [x]) { dy in
    [upsampleBackward(dy, factor: factor, mode: mode)]
  }
}
/// x: (N, C, H, W) → (N, C, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1), zero padding counted.
public func avgPool2d(_ x: Variable, kernel: Int, stride: Int, padding: Int = 0) -> Variable {
  let shape = x.shape
  return Variable(TensorCore.avgPool2d(x.value, kernel: kernel, stride: stride, padding: padding), parents: [x]) { dy in
    [avgPool2dBackward(dy, inputShape: shape, kernel: kernel, stride: stride, padding: padding)]
  }
}
