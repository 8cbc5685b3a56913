// Differentiable padding, upsampling, average pooling, cropping and the horizontal flip.

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

/// x: (N, C, H, W) → its top-left (N, C, height, width); the gradient is dy zero-padded back.
public func croppedTopLeft(_ x: Variable, height: Int, width: Int) -> Variable {
  let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  precondition(height <= h && width <= w, "croppedTopLeft: \(height)×\(width) from \(x.shape)")
  let xv = x.value
  let y = Tensor(shape: [n, c, height, width]) { out in
    for plane in 0..<(n * c) {
      for row in 0..<height {
        for col in 0..<width { out[(plane * height + row) * width + col] = xv.pointer[(plane * h + row) * w + col] }
      }
    }
  }
  return Variable(y, parents: [x]) { dy in
    [TensorCore.pad2d(dy, EdgePadding(top: 0, bottom: h - height, left: 0, right: w - width), mode: .zero)]
  }
}

/// x: (N, C, H, W) mirrored left–right (torch.flip(x, [3])); the flip is its own adjoint.
public func flippedHorizontally(_ x: Variable) -> Variable {
  Variable(flipHorizontal(x.value), parents: [x]) { dy in [flipHorizontal(dy)] }
}
