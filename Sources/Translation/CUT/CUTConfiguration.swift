// Everything that defines a CUT or FastCUT run, with taesungp's defaults (contrastive-unpaired-translation
// options/base_options.py, train_options.py and cut_model.py's modify_commandline_options), and its presets for
// `translate train --method cut|fastcut`. Codable: stored in checkpoints.

/// Which of the paper's two presets (taesungp's --CUT_mode).
public enum CUTMode: String, Sendable, CaseIterable, Codable {
  /// λ_NCE 1 with the identity NCE loss on domain B; 200 + 200 epochs.
  case cut
  /// λ_NCE 10, no identity loss, flip-equivariance; 150 + 50 epochs.
  case fastcut
}

public struct CUTConfiguration: TrainingConfiguration, Equatable {
  public var mode: CUTMode
  /// --netG resnet_9blocks, --ngf 64, --normG instance, --no_dropout True; --no_antialias (and
  /// --no_antialias_up) assumed: taesungp's default blurs before every stride-2 step, ours is junyanz's layout.
  public var generator = GeneratorArchitecture.preset(.resnet9)
  /// --netD basic (70×70 PatchGAN, --n_layers_D 3), --ndf 64, --normD instance.
  public var discriminator = DiscriminatorKind.basic
  public var discriminatorFilters = 64
  public var discriminatorLayers = 3
  public var discriminatorNorm = NormKind.instance
  /// --init_type xavier (taesungp's default, unlike junyanz's normal), --init_gain 0.02: G, D and F.
  public var initKind = InitKind.xavier
  public var initGain: Float = 0.02
  /// --gan_mode lsgan, --lambda_GAN 1.
  public var ganMode = GANMode.lsgan
  public var lambdaGAN: Float = 1
  /// --lambda_NCE: 1 (CUT) or 10 (FastCUT).
  public var lambdaNCE: Float
  /// --nce_idt: the NCE loss of G(B) against B, averaged with the main one (CUT).
  public var identityNCE: Bool
  /// --flip_equivariance: the input is mirrored with probability ½ and the query features mirrored back (FastCUT).
  public var flipEquivariance: Bool
  /// --nce_layers 0,4,8,12,16: indices into the generator's `model` whose outputs are contrasted.
  public var nceLayers = [0, 4, 8, 12, 16]
  /// --num_patches 256 positions per layer (fewer when a feature map has fewer).
  public var patches = 256
  /// --nce_T 0.07.
  public var temperature: Float = 0.07
  /// --netF mlp_sample, --netF_nc 256: the width of the two-layer projection heads.
  public var featureWidth = 256
  /// --lr 0.0002, --beta1 0.5 (β2 0.999) for G, D and F.
  public var learningRate: Float = 2e-4
  public var beta1: Float = 0.5
  /// --n_epochs, --n_epochs_decay (linear policy).
  public var epochs: Int
  public var decayEpochs: Int
  /// --batch_size 1. The PatchNCE negatives come from the same image whatever the batch.
  public var batchSize = 1
  /// --seed (every random choice derives from it: weights, flips, patch positions).
  public var seed: UInt64 = 0

  /// CUT's preset (--CUT_mode CUT).
  public init() { self.init(mode: .cut) }

  /// The preset of `mode`; every other option at taesungp's default.
  public init(mode: CUTMode) {
    self.mode = mode
    switch mode {
    case .cut:
      lambdaNCE = 1
      identityNCE = true
      flipEquivariance = false
      epochs = 200
      decayEpochs = 200
    case .fastcut:
      lambdaNCE = 10
      identityNCE = false
      flipEquivariance = true
      epochs = 150
      decayEpochs = 50
    }
  }

  public var method: TrainingMethod {
    switch mode {
    case .cut: .cut
    case .fastcut: .fastcut
    }
  }
  /// taesungp's cut_model.py sets --pool_size 0: the discriminator sees this step's translation.
  public var poolSize: Int { 0 }
  /// The discriminator judges domain B's images.
  public var discriminatorInChannels: Int { generator.outChannels }
  public var lossWeights: [(name: String, value: Float)] { [("lambdaGAN", lambdaGAN), ("lambdaNCE", lambdaNCE)] }

  /// This configuration with every non-nil field of `overrides` that applies to CUT in force (CycleGAN's pool,
  /// cycle and style weights and pix2pix's L1 weight aside).
  public func applying(_ o: TrainingOverrides) -> CUTConfiguration {
    var c = applyingShared(o)
    c.lambdaNCE = o.lambdaNCE ?? c.lambdaNCE
    c.nceLayers = o.nceLayers ?? c.nceLayers
    c.patches = o.patches ?? c.patches
    c.temperature = o.nceTemperature ?? c.temperature
    c.flipEquivariance = o.flipEquivariance ?? c.flipEquivariance
    return c
  }

  /// taesungp's defaults for `mode` (standard), or the small networks and short schedules of CycleGAN's quick
  /// and tiny presets (TrainingPreset.swift); the PatchNCE options stay taesungp's in every preset.
  public static func preset(_ preset: TrainingPreset, mode: CUTMode) -> CUTConfiguration {
    var c = CUTConfiguration(mode: mode)
    guard preset != .standard else { return c }
    let small = preset.configuration
    c.generator = small.generator
    c.discriminatorFilters = small.discriminatorFilters
    c.epochs = small.epochs
    c.decayEpochs = small.decayEpochs
    return c
  }
}

/// Why a CUT model cannot be built or restored.
public enum CUTError: Error, CustomStringConvertible, Equatable {
  /// CUT contrasts a ResNet generator's intermediate layers; other generators have no such `model` sequence.
  case unsupportedGenerator(String)
  /// None of the requested NCE layers exists in the generator.
  case noContrastedLayers([Int])
  /// An option outside its range (fewer than one patch, a width or temperature that is not positive).
  case invalidOption(String)
  /// A checkpoint that is not a CUT checkpoint, or is damaged.
  case invalidCheckpoint(path: String, reason: String)
  public var description: String {
    switch self {
    case .unsupportedGenerator(let summary): "CUT needs a ResNet generator, not \(summary)"
    case .noContrastedLayers(let layers): "none of the NCE layers \(layers) exists in the generator"
    case .invalidOption(let reason): "CUT: \(reason)"
    case .invalidCheckpoint(let path, let reason): "\(path): not a usable CUT checkpoint: \(reason)"
    }
  }
}
