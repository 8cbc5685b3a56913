// InstanceNorm2d and BatchNorm2d layers as PyTorch's (eps 1e-5, biased variance when normalizing).

/// Instance normalization over each (n, c) plane. junyanz's generators use `affine: false` with no running
/// statistics. x: (N, C, H, W) → (N, C, H, W).
public struct InstanceNorm2d: Layer {
  public var weight: Variable?  // (C), when affine
  public var bias: Variable?  // (C), when affine
  public let eps: Float

  public init(_ channels: Int, affine: Bool = false, eps: Float = normalizationEpsilon) {
    weight = affine ? Variable(Tensor(repeating: 1, shape: [channels]), requiresGrad: true) : nil
    bias = affine ? Variable(Tensor(zeros: [channels]), requiresGrad: true) : nil
    self.eps = eps
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    guard let override = NormStatisticsOverride.current else {
      return instanceNorm(x, weight: weight, bias: bias, eps: eps)
    }
    switch override.mode {
    case .record:
      let (y, stats) = TensorCore.instanceNorm(x.value, weight: weight?.value, bias: bias?.value, eps: eps)
      override.record(stats)
      return Variable(y)
    case .apply:
      return Variable(
        TensorCore.instanceNorm(x.value, weight: weight?.value, bias: bias?.value, statistics: override.next()))
    }
  }
  /// x = self(x), then ReLU when `thenReLU`, in one pass over the activation and in x's own memory when no one
  /// else holds x — when nothing records gradients and no statistics override is active (inference); false,
  /// with x untouched, otherwise. Bit-identical to the layers.
  func inferenceInPlace(_ x: inout Variable, thenReLU: Bool) -> Bool {
    guard !GradientMode.isEnabled, NormStatisticsOverride.current == nil else { return false }
    if isKnownUniquelyReferenced(&x) {
      TensorCore.instanceNormInPlace(&x.value, weight: weight?.value, bias: bias?.value, eps: eps, thenReLU: thenReLU)
    } else {
      x = Variable(
        TensorCore.instanceNorm(x.value, weight: weight?.value, bias: bias?.value, eps: eps, thenReLU: thenReLU).y)
    }
    return true
  }

  public var parameters: [NamedVariable] {
    [weight.map { NamedVariable("weight", $0) }, bias.map { NamedVariable("bias", $0) }].compactMap { $0 }
  }
}

/// Batch normalization per channel over (N, H, W): batch statistics in training mode (updating the running
/// ones with momentum 0.1 and the unbiased variance), running statistics in inference mode.
public struct BatchNorm2d: Layer {
  public var weight: Variable  // (C)
  public var bias: Variable  // (C)
  /// Running statistics and PyTorch's `num_batches_tracked`, updated in place in training mode.
  public let runningMean: Variable, runningVar: Variable, batchesTracked: Variable
  public let momentum: Float, eps: Float

  public init(_ channels: Int, momentum: Float = 0.1, eps: Float = normalizationEpsilon) {
    weight = Variable(Tensor(repeating: 1, shape: [channels]), requiresGrad: true)
    bias = Variable(Tensor(zeros: [channels]), requiresGrad: true)
    runningMean = Variable(Tensor(zeros: [channels]))
    runningVar = Variable(Tensor(repeating: 1, shape: [channels]))
    batchesTracked = Variable(Tensor(zeros: []))
    self.momentum = momentum
    self.eps = eps
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    guard LayerMode.isTraining else {
      return batchNormInference(
        x, weight: weight, bias: bias, runningMean: runningMean.value,
        runningVar: runningVar.value, eps: eps)
    }
    batchesTracked.value = Tensor(shape: [], values: [batchesTracked.value[flat: 0] + 1])
    return batchNormTraining(
      x, weight: weight, bias: bias, runningMean: &runningMean.value,
      runningVar: &runningVar.value, momentum: momentum, eps: eps)
  }
  public var parameters: [NamedVariable] { [NamedVariable("weight", weight), NamedVariable("bias", bias)] }
  public var buffers: [NamedVariable] {
    [
      NamedVariable("running_mean", runningMean), NamedVariable("running_var", runningVar),
      NamedVariable("num_batches_tracked", batchesTracked),
    ]
  }
}
