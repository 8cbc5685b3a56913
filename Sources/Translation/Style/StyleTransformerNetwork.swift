// The feed-forward style network of Johnson, Alahi & Fei-Fei (ECCV 2016, supplementary Table 1) with the two
// changes every later implementation made: instance normalization with affine parameters instead of batch
// normalization (Ulyanov, Vedaldi & Lempitsky 2016), and nearest-neighbour upsampling followed by a convolution
// instead of transposed convolutions, which removes checkerboard artifacts (Odena, Dumoulin & Olah, Distill 2016).
// Output goes through tanh so that the network maps network space [−1, 1] to itself.

/// Architecture constants of Johnson et al.'s transformer.
enum StyleTransformerConstants {
  /// The first and last convolutions are 9×9 after a reflection pad of 4.
  static let outerKernel = 9, outerPadding = 4
  /// Inner convolutions are 3×3 after a reflection pad of 1.
  static let innerKernel = 3
  /// Two stride-2 downsamplings, so inputs must be multiples of 4.
  static let samplings = 2
}

/// x: (N, 3, H, W) in [−1, 1], H and W multiples of 4 and at least 8 → (N, 3, H, W) in (−1, 1).
/// c9s1-f, d2f, d4f, `blocks` residual blocks of 4f, u2f, uf, c9s1-3, tanh (f = `baseFilters`, 32 in the paper).
public struct StyleTransformerNetwork: Layer {
  public let model: Sequential
  public let baseFilters: Int, blocks: Int

  public init(baseFilters f: Int = 32, blocks: Int = 5, seed: UInt64 = 0) {
    precondition(f > 0 && blocks >= 0, "StyleTransformerNetwork: \(f) base filters, \(blocks) blocks")
    baseFilters = f
    self.blocks = blocks
    typealias K = StyleTransformerConstants
    func conv(_ i: Int, _ o: Int, kernel: Int, stride: Int = 1) -> [any Layer] {
      [
        Pad2d(.reflect, kernel / 2), Conv2d(i, o, kernel: kernel, stride: stride), InstanceNorm2d(o, affine: true),
        ReLU(),
      ]
    }
    var layers = conv(3, f, kernel: K.outerKernel)
    layers += conv(f, 2 * f, kernel: K.innerKernel, stride: 2) + conv(2 * f, 4 * f, kernel: K.innerKernel, stride: 2)
    for _ in 0..<blocks { layers.append(StyleResidualBlock(4 * f)) }
    layers += [Upsample(factor: 2)] + conv(4 * f, 2 * f, kernel: K.innerKernel)
    layers += [Upsample(factor: 2)] + conv(2 * f, f, kernel: K.innerKernel)
    layers += [Pad2d(.reflect, K.outerPadding), Conv2d(f, 3, kernel: K.outerKernel), Tanh()]
    model = Sequential(layers)
    var rng = SeededGenerator(seed: seed)
    initializeWeights(model, .kaiming, using: &rng)
  }

  public func callAsFunction(_ x: Variable) -> Variable { model(x) }
  public var parameters: [NamedVariable] { model.parameters.map { $0.prefixed("model") } }
  public var sublayers: [any Layer] { [model] }
}

/// Johnson's residual block with instance norm: x + IN(conv3×3(ReLU(IN(conv3×3(x))))), no ReLU after the sum.
/// x: (N, C, H, W) → (N, C, H, W).
public struct StyleResidualBlock: Layer {
  public let convBlock: Sequential

  public init(_ channels: Int) {
    convBlock = Sequential([
      Pad2d(.reflect, 1), Conv2d(channels, channels, kernel: 3), InstanceNorm2d(channels, affine: true), ReLU(),
      Pad2d(.reflect, 1), Conv2d(channels, channels, kernel: 3), InstanceNorm2d(channels, affine: true),
    ])
  }

  public func callAsFunction(_ x: Variable) -> Variable { x + convBlock(x) }
  public var parameters: [NamedVariable] { convBlock.parameters.map { $0.prefixed("conv_block") } }
  public var sublayers: [any Layer] { [convBlock] }
}

/// Runs a network that needs sides divisible by `multiple` on any image of at least `minimumSide` pixels:
/// reflect-pads the bottom and right edges up to the next multiple, then crops the output back.
/// x: (N, C, H, W) → (N, C', H, W).
public struct PaddedToMultiple: Layer {
  public let network: any Layer
  public let multiple: Int

  public init(_ network: any Layer, multiple: Int) {
    self.network = network
    self.multiple = multiple
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    let (h, w) = (x.shape[2], x.shape[3])
    let extra = EdgePadding(
      top: 0, bottom: (multiple - h % multiple) % multiple, left: 0, right: (multiple - w % multiple) % multiple)
    guard extra.bottom + extra.right > 0 else { return network(x) }
    // Reflection needs the pad to be smaller than the side; replicate covers tiny images.
    let mode: PaddingMode = extra.bottom < h && extra.right < w ? .reflect : .replicate
    return croppedTopLeft(network(pad2d(x, extra, mode: mode)), height: h, width: w)
  }
  public var parameters: [NamedVariable] { network.parameters }
  public var buffers: [NamedVariable] { network.buffers }
  public var sublayers: [any Layer] { [network] }
}
