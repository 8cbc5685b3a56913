// The differentiable per-pixel affine colour transform (TensorCore/LocalColourTransform.swift).

/// coefficients: (N, 12, H, W), image: (N, 3, H, W) → (N, 3, H, W): y = (I + A)·x + b at every pixel.
public func localColourTransform(_ coefficients: Variable, _ image: Variable) -> Variable {
  let (a, x) = (coefficients.value, image.value)
  return Variable(TensorCore.localColourTransform(a, x), parents: [coefficients, image]) { dy in
    let g = localColourTransformBackward(dy, coefficients: a, image: x)
    return [g.coefficients, g.image]
  }
}

/// The colour-transform head: coarse (N, 12, h, w), image (N, 3, h·factor, w·factor) → tanh((I + A)·x + b) with
/// A, b bilinearly upsampled by `factor`. Recording, it is that chain of three ops; otherwise one fused pass with
/// the same value bit for bit and no full-resolution coefficients (TensorCore.upsampledColourTransform).
public func upsampledColourTransform(_ coarse: Variable, factor: Int, _ image: Variable) -> Variable {
  guard GradientMode.isEnabled && (coarse.requiresGrad || image.requiresGrad) else {
    return Variable(TensorCore.upsampledColourTransform(coarse.value, factor: factor, image.value))
  }
  return tanh(localColourTransform(upsample(coarse, factor: factor, mode: .bilinear), image))
}
