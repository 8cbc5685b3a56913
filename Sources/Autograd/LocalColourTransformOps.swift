// The differentiable per-pixel affine colour transform (TensorCore/LocalColourTransform.swift).

/// coefficients: (N, 12, H, W), image: (N, 3, H, W) → (N, 3, H, W): y = (I + A)·x + b at every pixel.
public func localColourTransform(_ coefficients: Variable, _ image: Variable) -> Variable {
  let (a, x) = (coefficients.value, image.value)
  return Variable(TensorCore.localColourTransform(a, x), parents: [coefficients, image]) { dy in
    let g = localColourTransformBackward(dy, coefficients: a, image: x)
    return [g.coefficients, g.image]
  }
}
