// junyanz's discriminators: NLayerDiscriminator (the PatchGAN of Isola et al. 2017; 3 layers = 70×70
// receptive field) and PixelDiscriminator (1×1 PatchGAN). Raw scores, no sigmoid. State_dict names as networks.py.

/// x: (N, inChannels, H, W) → (N, 1, H′, W′) patch scores.
public struct NLayerDiscriminator: Layer {
  public let model: Sequential
  /// PatchGAN constants: 4×4 kernels, padding 1, LeakyReLU 0.2, channel multiplier capped at 8.
  static let kernel = 4, padding = 1, leak: Float = 0.2, maxMultiplier = 8

  public init(inChannels: Int = 3, baseFilters f: Int = 64, layers n: Int = 3, norm: NormKind = .batch) {
    let (k, p, bias) = (Self.kernel, Self.padding, norm.convolutionsHaveBias)
    var layers: [any Layer] = [Conv2d(inChannels, f, kernel: k, stride: 2, padding: p), LeakyReLU(slope: Self.leak)]
    var multiplier = 1
    for i in 1..<max(n, 1) where n > 1 {
      let previous = multiplier
      multiplier = min(1 << i, Self.maxMultiplier)
      layers += [
        Conv2d(f * previous, f * multiplier, kernel: k, stride: 2, padding: p, bias: bias),
        norm.layer(f * multiplier), LeakyReLU(slope: Self.leak),
      ]
    }
    let previous = multiplier
    multiplier = min(1 << n, Self.maxMultiplier)
    layers += [
      Conv2d(f * previous, f * multiplier, kernel: k, stride: 1, padding: p, bias: bias),
      norm.layer(f * multiplier), LeakyReLU(slope: Self.leak),
      Conv2d(f * multiplier, 1, kernel: k, stride: 1, padding: p),
    ]
    model = Sequential(layers)
  }

  public func callAsFunction(_ x: Variable) -> Variable { model(x) }
  public var parameters: [NamedVariable] { model.parameters.map { $0.prefixed("model") } }
  public var buffers: [NamedVariable] { model.buffers.map { $0.prefixed("model") } }
  public var sublayers: [any Layer] { [model] }
}

/// 1×1 PatchGAN: x: (N, inChannels, H, W) → (N, 1, H, W).
public struct PixelDiscriminator: Layer {
  public let net: Sequential

  public init(inChannels: Int = 3, baseFilters f: Int = 64, norm: NormKind = .batch) {
    let bias = norm.convolutionsHaveBias
    net = Sequential([
      Conv2d(inChannels, f, kernel: 1), LeakyReLU(slope: 0.2),
      Conv2d(f, 2 * f, kernel: 1, bias: bias), norm.layer(2 * f), LeakyReLU(slope: 0.2),
      Conv2d(2 * f, 1, kernel: 1, bias: bias),
    ])
  }

  public func callAsFunction(_ x: Variable) -> Variable { net(x) }
  public var parameters: [NamedVariable] { net.parameters.map { $0.prefixed("net") } }
  public var buffers: [NamedVariable] { net.buffers.map { $0.prefixed("net") } }
  public var sublayers: [any Layer] { [net] }
}
