// Conv2d and ConvTranspose2d layers as PyTorch's (weights OIHW and IOHW, optional bias).

/// 2-D convolution. x: (N, inChannels, H, W) → (N, outChannels, OH, OW).
public struct Conv2d: Layer {
  public var weight: Variable  // (outChannels, inChannels, k, k)
  public var bias: Variable?  // (outChannels)
  public let options: ConvOptions

  public init(
    _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1, bias: Bool = true
  ) {
    weight = Variable(Tensor(zeros: [outChannels, inChannels, kernel, kernel]), requiresGrad: true)
    self.bias = bias ? Variable(Tensor(zeros: [outChannels]), requiresGrad: true) : nil
    options = ConvOptions(stride: stride, padding: padding, dilation: dilation)
  }

  public func callAsFunction(_ x: Variable) -> Variable { conv2d(x, weight, bias, options) }
  public var parameters: [NamedVariable] {
    [NamedVariable("weight", weight)] + (bias.map { [NamedVariable("bias", $0)] } ?? [])
  }

  /// self(pad(x)) in one pass when `pad` is a reflection pad, equal on all sides, nothing records gradients and this
  /// convolution (no padding of its own, stride 1) takes the Winograd path, which then reads the mirrored border in
  /// place instead of a padded copy; nil otherwise. With `norm`, self(pad(relu?(norm(x)))), the normalization also
  /// read in place (not under a statistics override). The same values as the layers one by one.
  func afterReflectionPadInOnePass(
    _ pad: Pad2d, _ x: Variable, normalizedFirstBy norm: InstanceNorm2d? = nil, relu: Bool = false
  ) -> Variable? {
    let p = pad.padding.top
    guard !GradientMode.isEnabled, pad.mode == .reflect, pad.padding == EdgePadding(p), options == ConvOptions(),
      norm == nil || NormStatisticsOverride.current == nil
    else { return nil }
    let normalization = norm.map {
      InstanceNormalization(weight: $0.weight?.value, bias: $0.bias?.value, eps: $0.eps, relu: relu)
    }
    return conv2dReflectPadded(
      x.value, weight: weight.value, bias: bias?.value, padding: p, normalizedFirst: normalization
    ).map { Variable($0) }
  }

  /// self(relu?(norm(x))) in one pass when nothing records gradients, no statistics override is active and this
  /// convolution (no dilation) takes the small kernels, which then read the normalization in place; nil otherwise.
  /// The same values as the layers one by one.
  func afterNormalizationInOnePass(_ norm: InstanceNorm2d, relu: Bool, _ x: Variable) -> Variable? {
    guard !GradientMode.isEnabled, NormStatisticsOverride.current == nil, options.dilation == 1,
      options.outputPadding == 0
    else { return nil }
    let normalization = InstanceNormalization(
      weight: norm.weight?.value, bias: norm.bias?.value, eps: norm.eps, relu: relu)
    return conv2dNormalizedFirst(
      x.value, weight: weight.value, bias: bias?.value, padding: options.padding, stride: options.stride,
      normalizedFirst: normalization
    ).map { Variable($0) }
  }
}

/// 2-D transposed convolution. x: (N, inChannels, H, W) → (N, outChannels, OH, OW),
/// OH = (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
public struct ConvTranspose2d: Layer {
  public var weight: Variable  // (inChannels, outChannels, k, k)
  public var bias: Variable?  // (outChannels)
  public let options: ConvOptions

  public init(
    _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
    outputPadding: Int = 0, dilation: Int = 1, bias: Bool = true
  ) {
    weight = Variable(Tensor(zeros: [inChannels, outChannels, kernel, kernel]), requiresGrad: true)
    self.bias = bias ? Variable(Tensor(zeros: [outChannels]), requiresGrad: true) : nil
    options = ConvOptions(stride: stride, padding: padding, dilation: dilation, outputPadding: outputPadding)
  }

  public func callAsFunction(_ x: Variable) -> Variable { convTranspose2d(x, weight, bias, options) }
  public var parameters: [NamedVariable] {
    [NamedVariable("weight", weight)] + (bias.map { [NamedVariable("bias", $0)] } ?? [])
  }
}

/// Fully connected layer: x: (N, in) → (N, out) = x·Wᵀ + b.
public struct Linear: Layer {
  public var weight: Variable  // (out, in)
  public var bias: Variable?  // (out)

  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
    weight = Variable(Tensor(zeros: [outFeatures, inFeatures]), requiresGrad: true)
    self.bias = bias ? Variable(Tensor(zeros: [outFeatures]), requiresGrad: true) : nil
  }

  public func callAsFunction(_ x: Variable) -> Variable { linear(x, weight, bias) }
  public var parameters: [NamedVariable] {
    [NamedVariable("weight", weight)] + (bias.map { [NamedVariable("bias", $0)] } ?? [])
  }
}
