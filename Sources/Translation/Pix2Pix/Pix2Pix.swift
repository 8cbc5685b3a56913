// pix2pix (Isola et al. 2017) as junyanz's pix2pix_model.py: a U-Net generator A → B and a conditional
// PatchGAN judging (A, B) pairs, vanilla GAN loss plus λ_L1 · L1 to the target; `trainingStep` is
// optimize_parameters (discriminator first, then the generator with the discriminator frozen).

/// What a pix2pix step reports (junyanz's loss names in brackets).
public struct Pix2PixLosses: TrainingLosses, Equatable {
  /// The translation judged real by the discriminator [G_GAN].
  public var adversarial: Float = 0
  /// λ_L1 · ‖G(A) − B‖₁ [G_L1].
  public var l1: Float = 0
  /// The discriminator on real pairs → 1 [D_real] and on translated pairs → 0 [D_fake]; its loss is their mean.
  public var discriminatorReal: Float = 0
  public var discriminatorFake: Float = 0

  public init() {}

  public static var columns: [(name: String, loss: WritableKeyPath<Pix2PixLosses, Float> & Sendable)] {
    JunyanzNames.pix2pixLossColumns
  }
  public static var columnNames: [String] { columns.map(\.name) }
  public var named: [NamedLoss] { Self.columns.map { NamedLoss($0.name, self[keyPath: $0.loss]) } }
}

public struct Pix2Pix: TrainableModel {
  public let configuration: Pix2PixConfiguration
  /// Translates domain A into domain B.
  public let generatorAtoB: any Layer
  /// Judges an (A, B) pair, its images concatenated along the channels: real B or generatorAtoB's translation.
  public let discriminatorOfPairs: any Layer
  public var optimizerG: Adam, optimizerD: Adam
  /// The other ranks of a data-parallel run (none by default).
  public var replicas = Replicas()

  /// A fresh model, initialized as junyanz's init_weights from `configuration.seed`.
  public init(_ configuration: Pix2PixConfiguration) {
    self.configuration = configuration
    var rng = SeededGenerator(seed: configuration.seed)
    generatorAtoB = configuration.generator.build(seed: rng.next())
    discriminatorOfPairs = configuration.makeDiscriminator()
    for net in [generatorAtoB, discriminatorOfPairs] {
      initializeWeights(net, configuration.initKind, gain: configuration.initGain, using: &rng)
    }
    optimizerG = Adam(
      generatorAtoB.parameters.map { $0.prefixed(JunyanzNames.pix2pixGenerator) },
      learningRate: configuration.learningRate, beta1: configuration.beta1)
    optimizerD = Adam(
      discriminatorOfPairs.parameters.map { $0.prefixed(JunyanzNames.pix2pixDiscriminator) },
      learningRate: configuration.learningRate, beta1: configuration.beta1)
  }

  /// Both networks under their checkpoint prefixes (junyanz's G and D).
  public var networks: [(prefix: String, layer: any Layer)] {
    [(JunyanzNames.pix2pixGenerator, generatorAtoB), (JunyanzNames.pix2pixDiscriminator, discriminatorOfPairs)]
  }

  /// One optimization step on aligned pairs, realA, realB: (N, C, H, W) with realB[i] the target of realA[i].
  public mutating func trainingStep(realA: Tensor, realB: Tensor) -> Pix2PixLosses {
    let c = configuration
    let a = Variable(realA)
    let b = Variable(realB)
    let fakeB = generatorAtoB(a)

    // Discriminator: the translated pair (detached) → 0, then the real pair → 1, the mean of the two. The order
    // of the forward passes is junyanz's: with batch norm each one moves the running statistics.
    setRequiresGrad(true, discriminatorOfPairs)
    optimizerD.zeroGrad()
    let fakeScore = discriminatorOfPairs(concatChannels([a, Variable(fakeB.value)]))
    let lossFake = ganLoss(fakeScore, real: false, mode: c.ganMode)
    let lossReal = ganLoss(discriminatorOfPairs(concatChannels([a, b])), real: true, mode: c.ganMode)
    ((lossFake + lossReal) * 0.5).backward()
    replicas.average(optimizerD)
    optimizerD.update()

    // Generator, discriminator frozen: its translation judged real, plus λ_L1 · ‖G(A) − B‖₁.
    setRequiresGrad(false, discriminatorOfPairs)
    optimizerG.zeroGrad()
    let adversarial = ganLoss(discriminatorOfPairs(concatChannels([a, fakeB])), real: true, mode: c.ganMode)
    let l1 = loss(.l1, fakeB, b) * c.lambdaL1
    (adversarial + l1).backward()
    replicas.average(optimizerG)
    optimizerG.update()

    var losses = Pix2PixLosses()
    losses.adversarial = adversarial.scalar
    losses.l1 = l1.scalar
    losses.discriminatorReal = lossReal.scalar
    losses.discriminatorFake = lossFake.scalar
    return losses
  }

  /// The sample pair: real A | its translation | real B (the target), in inference mode — batch norm with its
  /// running statistics and no dropout, as `translate` and `translate eval` run the model.
  public func samples(_ realA: Tensor, _ realB: Tensor) -> SampleRow {
    LayerMode.inference {
      SampleRow(tiles: [
        .init(role: .real, inB: false, image: realA),
        .init(role: .fake, inB: true, image: generatorAtoB(Variable(realA)).value),
        .init(role: .real, inB: true, image: realB),
      ])
    }
  }

  public static var paired: Bool { true }
  public static func configuration(_ preset: TrainingPreset) -> Pix2PixConfiguration { .preset(preset) }
  public var learningRate: Float { optimizerG.learningRate }
  public var lossGroups: [LossGroup] {
    [
      LossGroup("discriminator", ["D_real", "D_fake"]), LossGroup("generator (adversarial)", ["G_GAN"]),
      LossGroup("L1 to the target", ["G_L1"]),
    ]
  }

  /// Sets both optimizers' learning rate for `epoch` (1-based) from the linear schedule.
  public mutating func setEpoch(_ epoch: Int) {
    let rate = configuration.learningRate * configuration.schedule.multiplier(epoch: epoch)
    optimizerG.learningRate = rate
    optimizerD.learningRate = rate
  }
}

extension Pix2Pix {
  public static let checkpointFormat = "translate-pix2pix-checkpoint"

  public func saveCheckpoint(to path: String, progress: TrainingProgress) throws {
    try CheckpointContents(
      format: Self.checkpointFormat, configuration: configuration, progress: progress, networks: networks,
      optimizers: [("optimizer_G", optimizerG), ("optimizer_D", optimizerD)]
    ).write(to: path)
  }

  public static func loadCheckpoint(from path: String) throws -> (Pix2Pix, TrainingProgress) {
    let reader = try CheckpointReader<Pix2PixConfiguration>(
      path: path, format: checkpointFormat,
      generatorPrefix: JunyanzNames.pix2pixGenerator,
      discriminatorPrefix: JunyanzNames.pix2pixDiscriminator)
    var model = Pix2Pix(reader.configuration)
    try reader.load(model.networks)
    try reader.restore(&model.optimizerG, name: "optimizer_G")
    try reader.restore(&model.optimizerD, name: "optimizer_D")
    try reader.restoreDropout(model.networks)
    return (model, reader.progress)
  }

  /// Writes the one generator (A → B) under our format's A → B prefix, marked as translating that way only.
  /// BatchNorm at inference: junyanz's test.py runs pix2pix without model.eval() by default (batch statistics,
  /// dropout on, so a result depends on the rest of the batch and varies run to run); a user of `translate`
  /// gets eval mode instead — the running statistics and no dropout — deterministic per image, as `eval` scores it.
  public func saveModel(to path: String, domainA: String, domainB: String, imageSize: Int, progress: TrainingProgress)
    throws
  {
    try writeModelFile(
      to: path, generators: [(Direction.aToB.prefix, generatorAtoB)], architecture: configuration.generator,
      domainA: domainA, domainB: domainB, imageSize: imageSize, progress: progress,
      extra: [ModelDescription.directionsKey: Direction.aToB.rawValue, "method": TrainingMethod.pix2pix.rawValue])
  }
}
