// Everything that defines a CycleGAN run, with junyanz's defaults (options/base_options.py, train_options.py,
// cycle_gan_model.py). Codable: it is stored in checkpoints and, for the generators, in the model file.

public struct CycleGANConfiguration: TrainingConfiguration, Equatable {
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

  public var method: TrainingMethod { .cyclegan }
  /// Each discriminator judges one domain's images.
  public var discriminatorInChannels: Int { generator.outChannels }
  public var lossWeights: [(name: String, value: Float)] {
    [("lambdaA", lambdaA), ("lambdaB", lambdaB), ("lambdaIdentity", lambdaIdentity), ("lambdaStyle", lambdaStyle)]
  }

  /// This configuration with every non-nil field of `overrides` in force (augmentation and other methods'
  /// fields aside).
  public func applying(_ o: TrainingOverrides) -> CycleGANConfiguration {
    var c = applyingShared(o)
    c.poolSize = o.poolSize ?? c.poolSize
    c.lambdaA = o.lambdaA ?? c.lambdaA
    c.lambdaB = o.lambdaB ?? c.lambdaB
    c.lambdaIdentity = o.lambdaIdentity ?? c.lambdaIdentity
    c.lambdaStyle = o.lambdaStyle ?? c.lambdaStyle
    c.styleImage = o.styleImage ?? c.styleImage
    return c
  }
}
