// Everything that defines a CycleGAN run, with junyanz's defaults (options/base_options.py, train_options.py,
// cycle_gan_model.py). Codable: it is stored in checkpoints and, for the generators, in the model file.

public struct CycleGANConfiguration: Codable, Equatable, Sendable {
  /// Both generators share one architecture (--netG, --ngf, --norm, --no_dropout: CycleGAN's default).
  public var generator = GeneratorArchitecture.preset(.resnet9)
  /// --netD basic (70×70 PatchGAN), --ndf 64, --n_layers_D 3, same --norm as the generators.
  public var discriminator = DiscriminatorKind.basic
  public var discriminatorFilters = 64
  public var discriminatorLayers = 3
  public var discriminatorNorm = NormKind.instance
  /// --init_type normal, --init_gain 0.02.
  public var initKind = InitKind.normal
  public var initGain: Float = 0.02
  /// --gan_mode lsgan.
  public var ganMode = GANMode.lsgan
  /// --pool_size 50.
  public var poolSize = 50
  /// --lambda_A, --lambda_B (cycle weights) and --lambda_identity (a fraction of them).
  public var lambdaA: Float = 10
  public var lambdaB: Float = 10
  public var lambdaIdentity: Float = 0.5
  /// --lr 0.0002, --beta1 0.5 (β2 0.999 as junyanz).
  public var learningRate: Float = 2e-4
  public var beta1: Float = 0.5
  /// --n_epochs 100, --n_epochs_decay 100 (linear policy).
  public var epochs = 100
  public var decayEpochs = 100
  /// --batch_size 1.
  public var batchSize = 1
  /// Weight of the style loss pulling each generator's outputs toward its target domain's Gram statistics
  /// (our addition, off by default), and an optional style image that replaces domain B's statistics.
  public var lambdaStyle: Float = 0
  public var styleImage: String? = nil
  /// --seed (junyanz has none; every random choice here derives from it).
  public var seed: UInt64 = 0

  public init() {}

  public var schedule: LearningRateSchedule { .linear(constantEpochs: epochs, decayEpochs: decayEpochs) }
  public var totalEpochs: Int { epochs + decayEpochs }

  /// The smallest image side the discriminator takes: a PatchGAN with n stride-2 layers and two 4×4 stride-1
  /// layers needs at least 2^n·3 pixels.
  public var minimumTrainingSide: Int {
    switch discriminator {
    case .pixel: 1
    case .basic: (1 << 3) * 3
    case .nLayers: (1 << min(max(discriminatorLayers, 1), 20)) * 3
    }
  }

  func makeDiscriminator() -> any Layer {
    let inChannels = generator.outChannels
    switch discriminator {
    case .basic:
      return NLayerDiscriminator(inChannels: inChannels, baseFilters: discriminatorFilters, layers: 3, norm: discriminatorNorm)
    case .nLayers:
      return NLayerDiscriminator(inChannels: inChannels, baseFilters: discriminatorFilters, layers: discriminatorLayers,
                                 norm: discriminatorNorm)
    case .pixel:
      return PixelDiscriminator(inChannels: inChannels, baseFilters: discriminatorFilters, norm: discriminatorNorm)
    }
  }
}
