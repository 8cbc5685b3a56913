// Differentiable instance and batch normalization (PyTorch InstanceNorm2d / BatchNorm2d, eps 1e-5,
// biased variance in the normalization).

/// x: (N, C, H, W), weight/bias: (C)? (affine when given) → (N, C, H, W)
public func instanceNorm(_ x: Variable, weight: Variable?, bias: Variable?, eps: Float = normalizationEpsilon)
  -> Variable
{
  let xv = x.value
  let (y, stats) = TensorCore.instanceNorm(xv, weight: weight?.value, bias: bias?.value, eps: eps)
  let affine = [weight, bias].compactMap { $0 }
  return Variable(y, parents: [x] + affine) { dy in
    normalizationGradients(dy, weight: weight, bias: bias) { dW, dB in
      instanceNormBackward(dy, xv, stats: stats, weight: weight?.value, dWeight: dW, dBias: dB)
    }
  }
}

/// Batch normalization in training mode: batch statistics, running statistics updated in place
/// (momentum 0.1, unbiased running variance, as PyTorch).
public func batchNormTraining(
  _ x: Variable, weight: Variable?, bias: Variable?, runningMean: inout Tensor, runningVar: inout Tensor,
  momentum: Float = 0.1, eps: Float = normalizationEpsilon
) -> Variable {
  let xv = x.value
  let (y, stats) = batchNormTrain(
    xv, weight: weight?.value, bias: bias?.value, runningMean: &runningMean,
    runningVar: &runningVar, momentum: momentum, eps: eps)
  let affine = [weight, bias].compactMap { $0 }
  return Variable(y, parents: [x] + affine) { dy in
    normalizationGradients(dy, weight: weight, bias: bias) { dW, dB in
      batchNormTrainBackward(dy, xv, stats: stats, weight: weight?.value, dWeight: dW, dBias: dB)
    }
  }
}

/// Batch normalization in evaluation mode: the running statistics are constants.
public func batchNormInference(
  _ x: Variable, weight: Variable?, bias: Variable?, runningMean: Tensor, runningVar: Tensor,
  eps: Float = normalizationEpsilon
) -> Variable {
  let xv = x.value
  let y = batchNormEval(
    xv, weight: weight?.value, bias: bias?.value, runningMean: runningMean, runningVar: runningVar, eps: eps)
  let invStd = runningVar.map { 1 / ($0 + eps).squareRoot() }
  let affine = [weight, bias].compactMap { $0 }
  return Variable(y, parents: [x] + affine) { dy in
    let scale = weight.map { $0.value * invStd } ?? invStd
    let xhat = channelwise(channelwise(xv, runningMean * -1, multiply: false), invStd, multiply: true)
    return [channelwise(dy, scale, multiply: true)]
      + (weight == nil ? [] : [channelSums(dy, weight: xhat)]) + (bias == nil ? [] : [channelSums(dy)])
  }
}

/// Runs `backward(dWeight, dBias)` with gradient buffers for the affine parameters that exist, and returns
/// [dx, dWeight?, dBias?] in parent order.
func normalizationGradients(
  _ dy: Tensor, weight: Variable?, bias: Variable?,
  _ backward: (UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Tensor
) -> [Tensor?] {
  let c = dy.shape[1]
  var dW = Tensor(zeros: [c])
  var dB = Tensor(zeros: [c])
  let dx = dW.withUnsafeMutableBufferPointer { w in
    dB.withUnsafeMutableBufferPointer { b in backward(w.baseAddress!, b.baseAddress!) }
  }
  return [dx] + (weight == nil ? [] : [dW]) + (bias == nil ? [] : [dB])
}
