// Explicit choices merged over a training preset: `TrainingPreset.quick.applying(overrides, method:)` is the
// configuration and augmentation `translate train` runs with. A nil field keeps the preset's value.

/// Values that replace a preset's, one field per `translate train` option (junyanz's option in brackets).
public struct TrainingOverrides: Sendable, Equatable {
  /// The generator kind [--netG]. Base filters, norm and dropout carry over from the preset's generator
  /// unless they are overridden too.
  public var generator: GeneratorKind?
  /// Applied to whichever generator is in force, ResNet or U-Net [--ngf, --no_dropout].
  public var baseFilters: Int?
  public var dropout: Bool?
  /// How ResNet generators upsample (ours; junyanz: transposed). U-Nets keep their transposed convolutions.
  public var upsampling: Upsampling?
  /// Normalization of the generators and the discriminators [--norm].
  public var norm: NormKind?
  /// [--netD, --ndf, --n_layers_D]
  public var discriminator: DiscriminatorKind?
  public var discriminatorFilters: Int?
  public var discriminatorLayers: Int?
  /// [--init_type, --init_gain, --gan_mode, --pool_size]
  public var initKind: InitKind?
  public var initGain: Float?
  public var ganMode: GANMode?
  public var poolSize: Int?
  /// [--lambda_A, --lambda_B, --lambda_identity]
  public var lambdaA: Float?
  public var lambdaB: Float?
  public var lambdaIdentity: Float?
  /// [--lr, --beta1, --n_epochs, --n_epochs_decay, --batch_size]
  public var learningRate: Float?
  public var beta1: Float?
  public var epochs: Int?
  public var decayEpochs: Int?
  public var batchSize: Int?
  /// pix2pix's L1 weight [--lambda_L1].
  public var lambdaL1: Float?
  /// CUT's and FastCUT's PatchNCE (taesungp's option in brackets): its weight [--lambda_NCE], the generator layers
  /// contrasted [--nce_layers], the patches sampled per layer [--num_patches], the temperature [--nce_T], and
  /// flip equivariance [--flip_equivariance].
  public var lambdaNCE: Float?
  public var nceLayers: [Int]?
  public var patches: Int?
  public var nceTemperature: Float?
  public var flipEquivariance: Bool?
  /// The style loss (ours).
  public var lambdaStyle: Float?
  public var styleImage: String?
  public var seed: UInt64?
  /// Augmentation [--preprocess, --load_size, --crop_size, --no_flip].
  public var preprocess: Preprocess?
  public var loadSize: Int?
  public var cropSize: Int?
  public var flip: Bool?

  public init() {}
}

extension TrainingPreset {
  /// The preset's CycleGAN configuration and augmentation with `overrides` merged over them.
  public func applying(_ overrides: TrainingOverrides) -> (
    configuration: CycleGANConfiguration, augmentation: Augmentation
  ) {
    (configuration.applying(overrides), augmentation.applying(overrides))
  }

  /// The preset's configuration for `method` and its augmentation with `overrides` merged over them.
  public func applying(_ overrides: TrainingOverrides, method: TrainingMethod)
    -> (configuration: any TrainingConfiguration, augmentation: Augmentation)
  {
    (method.configuration(self).applying(overrides), augmentation.applying(overrides))
  }
}

extension Augmentation {
  /// This augmentation with the preprocess, sizes and flip of `overrides` in force.
  public func applying(_ o: TrainingOverrides) -> Augmentation {
    var a = self
    a.preprocess = o.preprocess ?? a.preprocess
    a.loadSize = o.loadSize ?? a.loadSize
    a.cropSize = o.cropSize ?? a.cropSize
    a.flip = o.flip ?? a.flip
    return a
  }
}

extension GeneratorArchitecture {
  /// This architecture with another kind (ResNet blocks or U-Net depth, as junyanz's presets) and other base
  /// filters, norm, dropout or (ResNet) upsampling where given; channels and everything not given are kept.
  func applying(kind: GeneratorKind?, baseFilters: Int?, norm: NormKind?, dropout: Bool?, upsampling: Upsampling?)
    -> GeneratorArchitecture
  {
    let (inChannels, outChannels, filters, normalization, withDropout) =
      switch self {
      case .resnet(let i, let o, let f, _, let n, let d, _, _), .unet(let i, let o, let f, _, let n, let d):
        (i, o, baseFilters ?? f, norm ?? n, dropout ?? d)
      }
    // Like the filters, norm and dropout, a ResNet's upsampling carries over to a new kind.
    let upsampling: Upsampling =
      if let upsampling { upsampling } else if case .resnet(_, _, _, _, _, _, _, let current) = self { current } else {
        .transposed
      }
    let base =
      kind.map {
        GeneratorArchitecture.preset(
          $0, inChannels: inChannels, outChannels: outChannels, baseFilters: filters,
          norm: normalization, dropout: withDropout)
      } ?? self
    return switch base {
    case .resnet(_, _, _, let blocks, _, _, let padding, _):
      .resnet(
        inChannels: inChannels, outChannels: outChannels, baseFilters: filters, blocks: blocks, norm: normalization,
        dropout: withDropout, padding: padding, upsampling: upsampling)
    case .unet(_, _, _, let downsamplings, _, _):
      .unet(
        inChannels: inChannels, outChannels: outChannels, baseFilters: filters, downsamplings: downsamplings,
        norm: normalization, dropout: withDropout)
    }
  }
}
