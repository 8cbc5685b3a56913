// junyanz's UnetGenerator (Ronneberger et al. 2015 as used by pix2pix): nested UnetSkipConnectionBlocks,
// 4×4 stride-2 convolutions, skip connections by channel concatenation. State_dict names as networks.py.

/// x: (N, inChannels, H, W) → (N, outChannels, H, W) with H, W divisible by 2^downsamplings
/// (7 for 128², 8 for 256²).
public struct UnetGenerator: Layer {
  public let model: UnetSkipBlock
  public let downsamplings: Int

  public init(
    inChannels: Int = 3, outChannels: Int = 3, downsamplings: Int, baseFilters f: Int = 64,
    norm: NormKind = .batch, dropout: Bool = false, seed: UInt64 = 0
  ) {
    precondition(downsamplings >= 5, "UnetGenerator: at least 5 downsamplings, got \(downsamplings)")
    self.downsamplings = downsamplings
    var block = UnetSkipBlock(outer: 8 * f, inner: 8 * f, position: .innermost, norm: norm)
    for i in 0..<(downsamplings - 5) {
      block = UnetSkipBlock(
        outer: 8 * f, inner: 8 * f, submodule: block, norm: norm, dropout: dropout, seed: seed &+ UInt64(i))
    }
    block = UnetSkipBlock(outer: 4 * f, inner: 8 * f, submodule: block, norm: norm)
    block = UnetSkipBlock(outer: 2 * f, inner: 4 * f, submodule: block, norm: norm)
    block = UnetSkipBlock(outer: f, inner: 2 * f, submodule: block, norm: norm)
    model = UnetSkipBlock(
      outer: outChannels, inner: f, input: inChannels, submodule: block, position: .outermost, norm: norm)
  }

  public func callAsFunction(_ x: Variable) -> Variable { model(x) }
  public var parameters: [NamedVariable] { model.parameters.map { $0.prefixed("model") } }
  public var buffers: [NamedVariable] { model.buffers.map { $0.prefixed("model") } }
  public var sublayers: [any Layer] { [model] }
}

/// One level of the U-Net: down (LeakyReLU 0.2, conv 4×4/2, norm), the submodule, up (ReLU, convT 4×4/2, norm),
/// and the skip: the block returns cat(x′, up(…)) where x′ is LeakyReLU(x) — junyanz's in-place LeakyReLU
/// (`nn.LeakyReLU(0.2, True)`) rewrites x before torch.cat reads it, so the skip carries the activated input.
/// The outermost level has no activation or norm on the way down, ends in Tanh and has no skip.
public struct UnetSkipBlock: Layer {
  public enum Position: Sendable { case outermost, middle, innermost }
  public let model: Sequential
  public let position: Position
  static let leak: Float = 0.2

  public init(
    outer: Int, inner: Int, input: Int? = nil, submodule: UnetSkipBlock? = nil, position: Position = .middle,
    norm: NormKind, dropout: Bool = false, seed: UInt64 = 0
  ) {
    self.position = position
    let bias = norm.convolutionsHaveBias
    let down = Conv2d(input ?? outer, inner, kernel: 4, stride: 2, padding: 1, bias: bias)
    let layers: [any Layer]
    switch position {
    case .outermost:
      let up = ConvTranspose2d(2 * inner, outer, kernel: 4, stride: 2, padding: 1)
      layers = [down] + [submodule!] + [ReLU(), up, Tanh()]
    case .innermost:
      let up = ConvTranspose2d(inner, outer, kernel: 4, stride: 2, padding: 1, bias: bias)
      layers = [LeakyReLU(slope: Self.leak), down, ReLU(), up, norm.layer(outer)]
    case .middle:
      let up = ConvTranspose2d(2 * inner, outer, kernel: 4, stride: 2, padding: 1, bias: bias)
      layers =
        [LeakyReLU(slope: Self.leak), down, norm.layer(inner), submodule!, ReLU(), up, norm.layer(outer)]
        + (dropout ? [Dropout(probability: 0.5, seed: seed)] : [])
    }
    model = Sequential(layers)
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    guard position != .outermost else { return model(x) }
    // model starts with the LeakyReLU, applied once and shared by the skip and the rest of the block.
    let activated = model.layers[0](x)
    let rest = Sequential(Array(model.layers.dropFirst()))
    return concatChannels([activated, rest(activated)])
  }
  public var parameters: [NamedVariable] { model.parameters.map { $0.prefixed("model") } }
  public var buffers: [NamedVariable] { model.buffers.map { $0.prefixed("model") } }
  public var sublayers: [any Layer] { [model] }
}
