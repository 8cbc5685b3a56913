// Everything that defines a pix2pix run, with junyanz's pix2pix defaults (pix2pix_model.py's
// modify_commandline_options: --netG unet_256, --norm batch, --gan_mode vanilla, --pool_size 0, --lambda_L1 100;
// dropout on as junyanz's default). Codable: stored in checkpoints; the generator's part in the model file.

public struct Pix2PixConfiguration: TrainingConfiguration, Equatable {
  /// The generator A → B: U-Net 256 (8 levels), 64 filters, batch norm, dropout 0.5 in the inner levels.
  public var generator = GeneratorArchitecture.preset(.unet256, norm: .batch, dropout: true)
  /// The conditional discriminator: a 70×70 PatchGAN on cat(A, B), 64 filters, batch norm.
  public var discriminator = DiscriminatorKind.basic
  public var discriminatorFilters = 64
  public var discriminatorLayers = 3
  public var discriminatorNorm = NormKind.batch
  /// --init_type normal, --init_gain 0.02.
  public var initKind = InitKind.normal
  public var initGain: Float = 0.02
  /// --gan_mode vanilla: BCE with logits.
  public var ganMode = GANMode.vanilla
  /// --lambda_L1 100: the weight of ‖G(A) − B‖₁.
  public var lambdaL1: Float = 100
  /// --lr 0.0002, --beta1 0.5 (β2 0.999).
  public var learningRate: Float = 2e-4
  public var beta1: Float = 0.5
  /// --n_epochs 100, --n_epochs_decay 100 (linear policy).
  public var epochs = 100
  public var decayEpochs = 100
  /// --batch_size 1.
  public var batchSize = 1
  public var seed: UInt64 = 0

  public init() {}

  public var method: TrainingMethod { .pix2pix }
  /// junyanz pix2pix sets --pool_size 0: the discriminator sees this step's translation.
  public var poolSize: Int { 0 }
  /// The discriminator judges (input, output) pairs: their channels concatenated.
  public var discriminatorInChannels: Int { generator.inChannels + generator.outChannels }
  public var lossWeights: [(name: String, value: Float)] { [("lambdaL1", lambdaL1)] }

  public func applying(_ o: TrainingOverrides) -> Pix2PixConfiguration {
    var c = applyingShared(o)
    c.lambdaL1 = o.lambdaL1 ?? c.lambdaL1
    return c
  }

  /// junyanz's defaults (standard), or CPU-sized U-Nets: quick's 64² crops take 6 levels (2⁶ = 64) with 16
  /// filters, tiny's 32² crops 5 levels (the fewest UnetGenerator has) with 8.
  public static func preset(_ preset: TrainingPreset) -> Pix2PixConfiguration {
    var c = Pix2PixConfiguration()
    switch preset {
    case .standard: break
    case .quick:
      c.generator = .unet(inChannels: 3, outChannels: 3, baseFilters: 16, downsamplings: 6, norm: .batch, dropout: true)
      c.discriminatorFilters = 32
      c.epochs = 5
      c.decayEpochs = 5
    case .tiny:
      c.generator = .unet(inChannels: 3, outChannels: 3, baseFilters: 8, downsamplings: 5, norm: .batch, dropout: true)
      c.discriminatorFilters = 8
      c.epochs = 1
      c.decayEpochs = 1
    }
    return c
  }
}
