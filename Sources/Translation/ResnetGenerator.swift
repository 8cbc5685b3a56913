// junyanz's ResnetGenerator (Johnson et al. 2016 as adapted for CycleGAN): c7s1-ngf, two stride-2 downsamplings,
// n residual blocks, two transposed-conv upsamplings (or our resize-convolutions), c7s1-out, Tanh. State_dict
// names as networks.py; the intermediate features CUT samples as taesungp's forward(x, layers, encode_only=True).
// Our colour-transform variant ends after the blocks with a 3×3 convolution to 12 coefficients per quarter-
// resolution pixel, applied to the input at full resolution (Upsampling.colourTransform).

/// Architecture constants of the ResNet generator (CycleGAN paper, appendix 7.2).
enum ResnetConstants {
  /// The first and last convolutions are 7×7 after a reflection pad of 3.
  static let outerKernel = 7, outerPadding = 3
  /// Two stride-2 downsamplings (and upsamplings).
  static let samplings = 2
}

/// x: (N, inChannels, H, W) → (N, outChannels, H, W), H and W multiples of 4; values in (−1, 1).
/// With `.colourTransform`, `model` maps x to (N, 12, H/4, W/4) coefficients and inChannels = outChannels = 3.
public struct ResnetGenerator: Layer {
  public let model: Sequential
  public let inChannels: Int, outChannels: Int, baseFilters: Int, blocks: Int
  public let norm: NormKind, dropout: Bool, padding: PaddingMode, upsampling: Upsampling

  public init(
    inChannels: Int = 3, outChannels: Int = 3, baseFilters f: Int = 64, blocks: Int = 9,
    norm: NormKind = .instance, dropout: Bool = false, padding: PaddingMode = .reflect,
    upsampling: Upsampling = .transposed, seed: UInt64 = 0
  ) {
    precondition(blocks >= 0 && f > 0, "ResnetGenerator: \(blocks) blocks, \(f) base filters")
    precondition(
      upsampling != .colourTransform || (inChannels == 3 && outChannels == 3),
      "ResnetGenerator: a colour transform maps 3 channels to 3, not \(inChannels) to \(outChannels)")
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.baseFilters = f
    self.blocks = blocks
    self.norm = norm
    self.dropout = dropout
    self.padding = padding
    self.upsampling = upsampling
    let bias = norm.convolutionsHaveBias
    var layers: [any Layer] = [
      Pad2d(.reflect, ResnetConstants.outerPadding),
      Conv2d(inChannels, f, kernel: ResnetConstants.outerKernel, bias: bias), norm.layer(f), ReLU(),
    ]
    for i in 0..<ResnetConstants.samplings {
      let c = f << i
      layers += [Conv2d(c, 2 * c, kernel: 3, stride: 2, padding: 1, bias: bias), norm.layer(2 * c), ReLU()]
    }
    let width = f << ResnetConstants.samplings
    for b in 0..<blocks {
      layers.append(ResnetBlock(width, padding: padding, norm: norm, dropout: dropout, seed: seed &+ UInt64(b)))
    }
    if upsampling == .colourTransform {
      layers += [Pad2d(.reflect, 1), Conv2d(width, localColourTransformCoefficients, kernel: 3)]
    } else {
      for i in 0..<ResnetConstants.samplings {
        let c = width >> i
        if let resize = upsampling.resize {
          layers += [Upsample(factor: 2, mode: resize), Conv2d(c, c / 2, kernel: 3, padding: 1, bias: bias)]
        } else {
          layers.append(ConvTranspose2d(c, c / 2, kernel: 3, stride: 2, padding: 1, outputPadding: 1, bias: bias))
        }
        layers += [norm.layer(c / 2), ReLU()]
      }
      layers += [
        Pad2d(.reflect, ResnetConstants.outerPadding),
        Conv2d(f, outChannels, kernel: ResnetConstants.outerKernel), Tanh(),
      ]
    }
    model = Sequential(layers)
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    guard upsampling == .colourTransform else { return model(x) }
    // (N, 12, H/4, W/4) → (N, 12, H, W), then tanh((I + A)·x + b) per pixel.
    return upsampledColourTransform(model(x), factor: 1 << ResnetConstants.samplings, x)
  }

  /// The outputs of `model`'s layers at `layers` (ascending), the encoder features CUT contrasts (taesungp's
  /// `netG(x, layers, encode_only=True)`); indices past the last layer are dropped. Layer 0 is the padded
  /// input, 4 the first stride-2 convolution, 8 the norm after the second; 12 and 16 are residual blocks 3 and
  /// 7 of a 9-block generator, but fall in the upsampling path when there are fewer than 3 or 7 blocks.
  /// taesungp's ReLUs are `nn.ReLU(inplace=True)`: one that runs after a collected layer (any but the last)
  /// overwrites the stored output, so such a feature is the ReLU's output (layer 8 is seen rectified).
  public func features(_ x: Variable, layers: [Int]) -> [Variable] {
    let kept = layers.filter { $0 < model.layers.count }
    guard let last = kept.last else { return [] }
    return model.outputs(x, at: kept.map { i in i < last && model.layers[i + 1] is ReLU ? i + 1 : i })
  }

  public var parameters: [NamedVariable] { model.parameters.map { $0.prefixed("model") } }
  public var buffers: [NamedVariable] { model.buffers.map { $0.prefixed("model") } }
  public var sublayers: [any Layer] { [model] }
}

/// x + convBlock(x), with convBlock = pad, conv3×3, norm, ReLU, [dropout 0.5], pad, conv3×3, norm.
/// No ReLU after the addition (junyanz ResnetBlock). x: (N, C, H, W) → (N, C, H, W).
public struct ResnetBlock: Layer {
  public let convBlock: Sequential

  public init(_ channels: Int, padding: PaddingMode, norm: NormKind, dropout: Bool, seed: UInt64 = 0) {
    let bias = norm.convolutionsHaveBias
    // Zero padding goes into the convolution; the others are separate layers (shifting the indices).
    func padded(_ conv: (Int) -> any Layer) -> [any Layer] {
      padding == .zero ? [conv(1)] : [Pad2d(padding, 1), conv(0)]
    }
    let conv = { (p: Int) -> any Layer in Conv2d(channels, channels, kernel: 3, padding: p, bias: bias) }
    var layers = padded(conv) + [norm.layer(channels), ReLU()]
    if dropout { layers.append(Dropout(probability: 0.5, seed: seed)) }
    layers += padded(conv) + [norm.layer(channels)]
    convBlock = Sequential(layers)
  }

  /// x + convBlock(x); at inference the sum is written over the block's output.
  public func callAsFunction(_ x: Variable) -> Variable {
    var y = convBlock(x)
    guard !GradientMode.isEnabled, isKnownUniquelyReferenced(&y) else { return x + y }
    y.value += x.value
    return y
  }
  public var parameters: [NamedVariable] { convBlock.parameters.map { $0.prefixed("conv_block") } }
  public var buffers: [NamedVariable] { convBlock.buffers.map { $0.prefixed("conv_block") } }
  public var sublayers: [any Layer] { [convBlock] }
}
