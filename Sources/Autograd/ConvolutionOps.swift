// Differentiable convolution and transposed convolution (PyTorch nn.Conv2d / nn.ConvTranspose2d semantics).

/// x: (N, C, H, W), weight: (K, C, k, k), bias: (K)? → (N, K, OH, OW)
public func conv2d(_ x: Variable, _ weight: Variable, _ bias: Variable?, _ o: ConvOptions = ConvOptions()) -> Variable {
  let (xv, wv) = (x.value, weight.value)
  let y = TensorCore.conv2d(xv, weight: wv, bias: bias?.value, o)
  let parents = [x, weight] + (bias.map { [$0] } ?? [])
  return Variable(y, parents: parents) { dy in
    let want = GradientRequest(input: x.requiresGrad, weight: weight.requiresGrad, bias: bias?.requiresGrad ?? false)
    let g = conv2dGradients(dy, x: xv, weight: wv, o, want)
    return [g.input, g.weight] + (bias == nil ? [] : [g.bias])
  }
}

/// x: (N, Cin, H, W), weight: (Cin, Cout, k, k), bias: (Cout)? → (N, Cout, OH, OW)
public func convTranspose2d(
  _ x: Variable, _ weight: Variable, _ bias: Variable?, _ o: ConvOptions = ConvOptions()
) -> Variable {
  let (xv, wv) = (x.value, weight.value)
  let y = TensorCore.convTranspose2d(xv, weight: wv, bias: bias?.value, o)
  let parents = [x, weight] + (bias.map { [$0] } ?? [])
  return Variable(y, parents: parents) { dy in
    let want = GradientRequest(input: x.requiresGrad, weight: weight.requiresGrad, bias: bias?.requiresGrad ?? false)
    let g = convTranspose2dGradients(dy, x: xv, weight: wv, o, want)
    return [g.input, g.weight] + (bias == nil ? [] : [g.bias])
  }
}
