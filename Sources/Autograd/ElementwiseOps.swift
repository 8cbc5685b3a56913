// Differentiable elementwise arithmetic, activations, dropout, reductions and channel concatenation.

// MARK: Arithmetic

public func + (a: Variable, b: Variable) -> Variable {
  Variable(a.value + b.value, parents: [a, b]) { dy in [dy, dy] }
}
public func - (a: Variable, b: Variable) -> Variable {
  Variable(a.value - b.value, parents: [a, b]) { dy in [dy, dy * -1] }
}
public func * (a: Variable, b: Variable) -> Variable {
  let (av, bv) = (a.value, b.value)
  return Variable(av * bv, parents: [a, b]) { dy in [dy * bv, dy * av] }
}
public func * (a: Variable, s: Float) -> Variable {
  Variable(a.value * s, parents: [a]) { dy in [dy * s] }
}
public func + (a: Variable, s: Float) -> Variable {
  Variable(a.value + s, parents: [a]) { dy in [dy] }
}

/// x: (N, C, …) + v: (C) broadcast over every axis but the channel.
public func addChannelwise(_ x: Variable, _ v: Variable) -> Variable {
  Variable(channelwise(x.value, v.value, multiply: false), parents: [x, v]) { dy in [dy, channelSums(dy)] }
}
/// x: (N, C, …) · v: (C) broadcast over every axis but the channel.
public func multiplyChannelwise(_ x: Variable, _ v: Variable) -> Variable {
  let (xv, vv) = (x.value, v.value)
  return Variable(channelwise(xv, vv, multiply: true), parents: [x, v]) { dy in
    [channelwise(dy, vv, multiply: true), channelSums(dy, weight: xv)]
  }
}

// MARK: Reductions

/// Sum of all elements → shape [].
public func sum(_ x: Variable) -> Variable {
  let shape = x.shape
  return Variable(Tensor(shape: [], values: [x.value.sum()]), parents: [x]) { dy in
    [Tensor(repeating: dy[flat: 0], shape: shape)]
  }
}
/// Mean of all elements → shape [].
public func mean(_ x: Variable) -> Variable {
  let shape = x.shape
  let n = Float(x.value.count)
  return Variable(Tensor(shape: [], values: [x.value.mean()]), parents: [x]) { dy in
    [Tensor(repeating: dy[flat: 0] / n, shape: shape)]
  }
}

// MARK: Activations

/// y = max(x, 0)
public func relu(_ x: Variable) -> Variable {
  let xv = x.value
  return Variable(TensorCore.relu(xv), parents: [x]) { dy in [reluBackward(dy, xv)] }
}
/// y = x if x > 0 else slope·x
public func leakyRelu(_ x: Variable, slope: Float) -> Variable {
  let xv = x.value
  return Variable(TensorCore.leakyRelu(xv, slope: slope), parents: [x]) { dy in
    [leakyReluBackward(dy, xv, slope: slope)]
  }
}
/// y = tanh(x)
public func tanh(_ x: Variable) -> Variable {
  let y = TensorCore.tanh(x.value)
  return Variable(y, parents: [x]) { dy in [tanhBackward(dy, y)] }
}
/// y = σ(x)
public func sigmoid(_ x: Variable) -> Variable {
  let y = TensorCore.sigmoid(x.value)
  return Variable(y, parents: [x]) { dy in [sigmoidBackward(dy, y)] }
}
/// Inverted dropout with probability p (training mode): y = x·mask, mask ∈ {0, 1/(1 − p)}.
public func dropout(_ x: Variable, probability p: Float, using rng: inout some RandomNumberGenerator) -> Variable {
  let mask = dropoutMask(x.shape, probability: p, using: &rng)
  return Variable(x.value * mask, parents: [x]) { dy in [dy * mask] }
}

// MARK: Structure

/// (N, C₁, H, W), (N, C₂, H, W), … → (N, ΣCᵢ, H, W)
public func concatChannels(_ parts: [Variable]) -> Variable {
  let channels = parts.map { $0.shape[1] }
  return Variable(TensorCore.concatChannels(parts.map(\.value)), parents: parts) { dy in splitChannels(dy, channels) }
}
/// The same values under another shape.
public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
  let original = x.shape
  return Variable(x.value.reshaped(shape), parents: [x]) { dy in [dy.reshaped(original)] }
}
