// Differentiable matrix product, fully connected layer and the mean-reduced losses (L1, MSE, BCE-with-logits).

/// a: (M, K) · b: (K, N) → (M, N)
public func matmul(_ a: Variable, _ b: Variable) -> Variable {
  let (av, bv) = (a.value, b.value)
  return Variable(TensorCore.matmul(av, bv), parents: [a, b]) { dy in
    [TensorCore.matmul(dy, bv, transB: true), TensorCore.matmul(av, dy, transA: true)]
  }
}

/// x: (N, in), weight: (out, in), bias: (out)? → (N, out) = x·Wᵀ + b
public func linear(_ x: Variable, _ weight: Variable, _ bias: Variable?) -> Variable {
  let (xv, wv) = (x.value, weight.value)
  let parents = [x, weight] + (bias.map { [$0] } ?? [])
  return Variable(TensorCore.linear(xv, weight: wv, bias: bias?.value), parents: parents) { dy in
    [TensorCore.matmul(dy, wv), TensorCore.matmul(dy, xv, transA: true)] + (bias == nil ? [] : [channelSums(dy)])
  }
}

/// The three losses of the product, all with mean reduction.
public enum LossKind: String, Sendable, CaseIterable {
  case l1, mse, bceWithLogits
}

/// Mean loss between prediction and target → shape []. Gradients flow to both arguments.
public func loss(_ kind: LossKind, _ prediction: Variable, _ target: Variable) -> Variable {
  let (p, t) = (prediction.value, target.value)
  let value: Float
  switch kind {
  case .l1: value = l1Loss(p, t)
  case .mse: value = mseLoss(p, t)
  case .bceWithLogits: value = bceWithLogitsLoss(p, t)
  }
  return Variable(Tensor(shape: [], values: [value]), parents: [prediction, target]) { dy in
    let s = dy[flat: 0]
    let dp: Tensor
    switch kind {
    case .l1: dp = l1LossBackward(p, t, scale: s)
    case .mse: dp = mseLossBackward(p, t, scale: s)
    case .bceWithLogits: dp = bceWithLogitsLossBackward(p, t, scale: s)
    }
    // d/dt: −dp for L1 and MSE; for BCE-with-logits d/dt = −x/n.
    let dt = kind == .bceWithLogits ? p * (-s / Float(p.count)) : dp * -1
    return [dp, target.requiresGrad ? dt : nil]
  }
}
