// The training methods `translate train` runs, and what the trainer asks of each: a configuration with the
// shared options (networks, optimizer, schedule, batch, seed) and a model type with a training step that
// returns named losses, checkpoints, a model file and a sample row. Adding a method: one case, one model type.

import Foundation

public enum TrainingMethod: String, Sendable, CaseIterable, Codable {
  /// Unpaired translation (Zhu et al. 2017): two generators, cycle consistency.
  case cyclegan
  /// Paired translation (Isola et al. 2017): one generator A → B, conditional PatchGAN, L1 to the target.
  case pix2pix
  /// Contrastive unpaired translation (Park et al. 2020): one generator A → B, PatchNCE with the identity term.
  case cut
  /// CUT's fast preset: a heavier PatchNCE, flip equivariance, no identity term.
  case fastcut

  /// The model type that trains this method.
  var model: any TrainableModel.Type {
    switch self {
    case .cyclegan: CycleGAN.self
    case .pix2pix: Pix2Pix.self
    case .cut, .fastcut: CUT.self
    }
  }

  /// The method's name as its paper spells it.
  public var displayName: String {
    switch self {
    case .cyclegan: "CycleGAN"
    case .pix2pix: "pix2pix"
    case .cut: "CUT"
    case .fastcut: "FastCUT"
    }
  }

  /// True when a step takes aligned pairs (the same file name in both folders).
  public var paired: Bool { model.paired }

  /// True when the model learns both directions (CycleGAN); the others learn A → B only.
  public var bothDirections: Bool { self == .cyclegan }

  /// The preset's configuration for this method (TrainingPreset.swift).
  public func configuration(_ preset: TrainingPreset) -> any TrainingConfiguration {
    switch self {
    case .cyclegan, .pix2pix: model.anyConfiguration(preset)
    case .cut: CUTConfiguration.preset(preset, mode: .cut)
    case .fastcut: CUTConfiguration.preset(preset, mode: .fastcut)
    }
  }

  /// The method whose checkpoint format the file at `path` has; nil when it is unreadable or none. CUT and
  /// FastCUT share one format: their checkpoints name the mode under `method`.
  public init?(checkpointAt path: String) {
    guard let metadata = try? SafeTensors.readHeader(path).metadata, let format = metadata["format"] else {
      return nil
    }
    let methods = Self.allCases.filter { $0.model.checkpointFormat == format }
    guard let method = methods.first(where: { $0.rawValue == metadata["method"] }) ?? methods.first else {
      return nil
    }
    self = method
  }
}

/// The options every method shares, with junyanz's names in each conforming type's documentation.
public protocol TrainingConfiguration: Codable, Sendable {
  /// junyanz's defaults for the method.
  init()
  var method: TrainingMethod { get }
  var generator: GeneratorArchitecture { get set }
  var discriminator: DiscriminatorKind { get set }
  var discriminatorFilters: Int { get set }
  var discriminatorLayers: Int { get set }
  var discriminatorNorm: NormKind { get set }
  var initKind: InitKind { get set }
  var initGain: Float { get set }
  var ganMode: GANMode { get set }
  var learningRate: Float { get set }
  var beta1: Float { get set }
  var epochs: Int { get set }
  var decayEpochs: Int { get set }
  var batchSize: Int { get set }
  var seed: UInt64 { get set }
  /// Translations kept for the discriminator (0: none).
  var poolSize: Int { get }
  /// Channels of the images the discriminator judges.
  var discriminatorInChannels: Int { get }
  /// The loss weights under their field names (checked in checkpoints, shown in the report).
  var lossWeights: [(name: String, value: Float)] { get }
  /// This configuration with every non-nil field of `overrides` that applies to the method in force.
  func applying(_ overrides: TrainingOverrides) -> Self
}

extension TrainingConfiguration {
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
    let inChannels = discriminatorInChannels
    switch discriminator {
    case .basic:
      return NLayerDiscriminator(
        inChannels: inChannels, baseFilters: discriminatorFilters, layers: 3, norm: discriminatorNorm)
    case .nLayers:
      return NLayerDiscriminator(
        inChannels: inChannels, baseFilters: discriminatorFilters, layers: discriminatorLayers,
        norm: discriminatorNorm)
    case .pixel:
      return PixelDiscriminator(inChannels: inChannels, baseFilters: discriminatorFilters, norm: discriminatorNorm)
    }
  }

  /// The overrides every method shares (networks, optimizer, schedule, batch, seed) applied to `self`.
  func applyingShared(_ o: TrainingOverrides) -> Self {
    var c = self
    c.generator = generator.applying(
      kind: o.generator, baseFilters: o.baseFilters, norm: o.norm, dropout: o.dropout,
      upsampling: o.upsampling)
    c.discriminator = o.discriminator ?? c.discriminator
    c.discriminatorFilters = o.discriminatorFilters ?? c.discriminatorFilters
    c.discriminatorLayers = o.discriminatorLayers ?? c.discriminatorLayers
    c.discriminatorNorm = o.norm ?? c.discriminatorNorm
    c.initKind = o.initKind ?? c.initKind
    c.initGain = o.initGain ?? c.initGain
    c.ganMode = o.ganMode ?? c.ganMode
    c.learningRate = o.learningRate ?? c.learningRate
    c.beta1 = o.beta1 ?? c.beta1
    c.epochs = o.epochs ?? c.epochs
    c.decayEpochs = o.decayEpochs ?? c.decayEpochs
    c.batchSize = o.batchSize ?? c.batchSize
    c.seed = o.seed ?? c.seed
    return c
  }
}

/// One real image of each domain and what the model makes of them at a checkpoint, each (1, C, crop, crop),
/// for the report: CycleGAN real A | fake B | reconstructed A | real B | fake A | reconstructed B; pix2pix
/// real A | fake B | real B (the target); CUT real A | fake B | real B (an unpaired image of B).
public struct SampleRow {
  public enum Role: String, Sendable { case real, fake, reconstructed }
  public struct Tile {
    public let role: Role
    /// The domain the image belongs to: A (false) or B (true).
    public let inB: Bool
    public let image: Tensor
  }
  public let tiles: [Tile]
  public var tensors: [Tensor] { tiles.map(\.image) }
}

/// A model the trainer drives. `trainingStep` is junyanz's optimize_parameters on one batch of each domain.
public protocol TrainableModel {
  associatedtype Configuration: TrainingConfiguration
  associatedtype Losses: TrainingLosses
  /// True when realA[i] and realB[i] of a step are an aligned pair.
  static var paired: Bool { get }
  /// The `format` metadata of this method's checkpoints.
  static var checkpointFormat: String { get }
  /// A preset's configuration for this method.
  static func configuration(_ preset: TrainingPreset) -> Configuration
  /// A fresh model, initialized from `configuration.seed`; throws when the configuration cannot be built (CUT
  /// without a ResNet generator or without any of its contrasted layers).
  init(_ configuration: Configuration) throws
  /// Restores a model, its optimizers and random states exactly as saved.
  static func loadCheckpoint(from path: String) throws -> (Self, TrainingProgress)
  var configuration: Configuration { get }
  /// The networks under their file prefixes (every parameter the run trains).
  var networks: [(prefix: String, layer: any Layer)] { get }
  /// The other ranks of a data-parallel run: the step averages its gradients over them before each update.
  var replicas: Replicas { get set }
  /// The learning rate in force (logged per step).
  var learningRate: Float { get }
  /// The losses the report charts, together.
  var lossGroups: [LossGroup] { get }
  /// Sets the learning rate for `epoch` (1-based).
  mutating func setEpoch(_ epoch: Int)
  /// Anything derived from the data before the first step (CycleGAN's style targets); called after a resume too.
  mutating func prepare(for options: TrainingOptions) throws
  /// One optimization step; realA, realB: (N, C, H, W).
  mutating func trainingStep(realA: Tensor, realB: Tensor) -> Losses
  func saveCheckpoint(to path: String, progress: TrainingProgress) throws
  /// Writes the model a user translates with.
  func saveModel(to path: String, domainA: String, domainB: String, imageSize: Int, progress: TrainingProgress) throws
  /// The sample images translated (no tape, inference mode), realA, realB: (1, C, H, W).
  func samples(_ realA: Tensor, _ realB: Tensor) -> SampleRow
}

extension TrainableModel {
  static func anyConfiguration(_ preset: TrainingPreset) -> any TrainingConfiguration { configuration(preset) }
  public mutating func prepare(for options: TrainingOptions) throws {}
}
