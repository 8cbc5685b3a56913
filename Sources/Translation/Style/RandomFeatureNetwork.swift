// The offline default feature network: a fixed, seeded, random-weight filter bank applied to every level of a
// binomial image pyramid, with ReLU. Ustyuzhaninov, Brendel, Gatys & Bethge (ICLR 2017, "What does it
// take to generate natural textures?") showed that one layer of random multi-scale filters with a ReLU and
// many maps already carries enough Gram statistics for texture synthesis; He, Wang & Hopcroft (NeurIPS 2016,
// "A powerful generative model using random weights for the deep image representation") did style transfer
// with an untrained VGG. Design and reasons:
// - Multi-scale by a pyramid, not by huge kernels: a 5×5 filter at level p (the image blurred and halved 2^p
//   times) spans 5·2^p pixels, so five levels cover 5 to 80 pixels (Ustyuzhaninov's scales 3…55) at the cost
//   of one small convolution per level (each level has 1/4 of the pixels of the one above).
// - One random layer per level, no depth: random deep layers lose information (He et al. needed careful
//   scaling); a single ReLU layer keeps the Gram statistics well conditioned and the gradients cheap.
// - Many maps, more at coarse levels (where they are cheap): the Gram matrix of more random projections
//   constrains more of the patch distribution.
// - Reflect padding: zero padding would add artificial edges to the statistics. (Unpadded filtering was
//   tried: the under-constrained border then drifts far from the content.)
// - Filters are unit-norm Gaussian draws from a seeded generator: the same seed gives the same network on
//   every machine, so losses and results are reproducible without any weights file.
// The per-layer normalization of the losses (each layer's Gram error divided by the target Gram's mean
// square) lives in StyleLosses.swift.

/// Random multi-scale features. images (N, 3, H, W) in [−1, 1] →
/// style[p] = ReLU(conv5×5(reflectPad2(downsample^p(images)))): (N, channels[p], H/2^p, W/2^p) for each level p
/// whose shorter side is at least `minimumSide`; content = style[contentLevel] (or the coarsest level present).
public struct RandomFeatureNetwork: StyleFeatureNetwork {
  /// Filter size at every level (Ustyuzhaninov's smallest useful scales are 3–5 pixels).
  public static let kernel = 5
  /// Maps per level, finest first.
  public static let defaultChannels = [64, 128, 128, 256, 256]
  /// A level takes part only when its shorter side has at least this many pixels.
  public static let minimumSide = 8
  /// The seed of the shipped default network (all numbers in the README were measured with it).
  public static let defaultSeed: UInt64 = 0x5EED_57E1

  public let channels: [Int]
  /// The level whose maps serve as content features: 2 (quarter resolution) keeps the layout and shapes of
  /// the content image and leaves the fine texture free for the style.
  public let contentLevel: Int
  public let seed: UInt64
  /// Filter banks, (channels[p], 3, 5, 5); constants (no gradient).
  let banks: [Variable]

  public init(
    channels: [Int] = RandomFeatureNetwork.defaultChannels, contentLevel: Int = 2,
    seed: UInt64 = RandomFeatureNetwork.defaultSeed
  ) {
    precondition(!channels.isEmpty && channels.allSatisfy { $0 > 0 }, "RandomFeatureNetwork: channels \(channels)")
    precondition(channels.indices.contains(contentLevel), "RandomFeatureNetwork: content level \(contentLevel)")
    self.channels = channels
    self.contentLevel = contentLevel
    self.seed = seed
    var rng = SeededGenerator(seed: seed)
    banks = channels.map { Variable(Self.unitNormFilters(count: $0, using: &rng)) }
  }

  public var styleLayerCount: Int { channels.count }
  public var minimumImageSide: Int { Self.minimumSide }

  public func features(_ images: Variable, content: Bool) -> StyleFeatures {
    precondition(
      images.value.rank == 4 && images.shape[1] == 3, "RandomFeatureNetwork: expects (N, 3, H, W), got \(images.shape)")
    var level = images
    var maps: [Variable] = []
    for (p, bank) in banks.enumerated() {
      if p > 0 { level = Self.downsample(level) }
      guard min(level.shape[2], level.shape[3]) >= Self.minimumSide else { break }
      let padded = pad2d(level, EdgePadding(Self.kernel / 2), mode: .reflect)
      maps.append(relu(conv2d(padded, bank, nil)))
    }
    precondition(!maps.isEmpty, "RandomFeatureNetwork: image \(images.shape) smaller than \(Self.minimumSide) pixels")
    return StyleFeatures(style: maps, content: content ? maps[min(contentLevel, maps.count - 1)] : nil)
  }

  /// Halves the resolution with the separable binomial filter [1, 3, 3, 1]/8 (reflect-padded, stride 2): a 2×2
  /// box (average pooling) would make the gradient of coarse levels constant on 2^p-pixel blocks, which the
  /// optimized image shows as a grid. x: (N, 3, H, W) → (N, 3, H/2, W/2).
  static func downsample(_ x: Variable) -> Variable {
    conv2d(pad2d(x, EdgePadding(1), mode: .reflect), Variable(binomialKernel), nil, ConvOptions(stride: 2))
  }

  /// (3, 3, 4, 4): the outer product of [1, 3, 3, 1]/8 with itself on the channel diagonal.
  static let binomialKernel: Tensor = {
    let taps: [Float] = [1, 3, 3, 1].map { $0 / 8 }
    var w = Tensor(zeros: [3, 3, 4, 4])
    for c in 0..<3 { for i in 0..<4 { for j in 0..<4 { w[c, c, i, j] = taps[i] * taps[j] } } }
    return w
  }()

  /// (count, 3, k, k) filters, each a Gaussian draw scaled to unit L2 norm.
  static func unitNormFilters(count: Int, using rng: inout SeededGenerator) -> Tensor {
    let size = 3 * kernel * kernel
    var w = Tensor.normal([count, 3, kernel, kernel], using: &rng)
    w.withUnsafeMutableBufferPointer { b in
      for f in 0..<count {
        var norm: Float = 0
        for i in 0..<size { norm += b[f * size + i] * b[f * size + i] }
        let scale = 1 / norm.squareRoot()
        for i in 0..<size { b[f * size + i] *= scale }
      }
    }
    return w
  }
}
