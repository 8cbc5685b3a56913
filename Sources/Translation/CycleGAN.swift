// CycleGAN (Zhu et al. 2017) as junyanz's cycle_gan_model.py: two generators, two PatchGAN discriminators,
// LSGAN + cycle-consistency + identity losses, image pools; `trainingStep` is optimize_parameters.

import Foundation

public struct CycleGAN: TrainableModel {
  public let configuration: CycleGANConfiguration
  /// The generators: A → B and B → A.
  public let generatorAtoB: any Layer, generatorBtoA: any Layer
  /// The discriminators, by the domain whose images they judge: real B against generatorAtoB's translations,
  /// and real A against generatorBtoA's.
  public let discriminatorOfB: any Layer, discriminatorOfA: any Layer
  public var optimizerG: Adam, optimizerD: Adam
  /// Earlier translations into domain A and into domain B, which the discriminators learn from.
  public var poolA: ImagePool, poolB: ImagePool
  /// Style targets of domain A and domain B when `configuration.lambdaStyle > 0` (rebuilt from the data on
  /// resume, not checkpointed: they are a fixed function of the training images).
  public var styleTargets: (a: StyleLoss, b: StyleLoss)?
  /// The other ranks of a data-parallel run (none by default).
  public var replicas = Replicas()

  /// A fresh model, initialized as junyanz's init_weights from `configuration.seed`.
  public init(_ configuration: CycleGANConfiguration) {
    self.configuration = configuration
    var rng = SeededGenerator(seed: configuration.seed)
    generatorAtoB = configuration.generator.build(seed: rng.next())
    generatorBtoA = configuration.generator.build(seed: rng.next())
    discriminatorOfB = configuration.makeDiscriminator()
    discriminatorOfA = configuration.makeDiscriminator()
    for net in [generatorAtoB, generatorBtoA, discriminatorOfB, discriminatorOfA] {
      initializeWeights(net, configuration.initKind, gain: configuration.initGain, using: &rng)
    }
    optimizerG = Adam(
      Self.named(JunyanzNames.generatorAtoB, generatorAtoB) + Self.named(JunyanzNames.generatorBtoA, generatorBtoA),
      learningRate: configuration.learningRate, beta1: configuration.beta1)
    optimizerD = Adam(
      Self.named(JunyanzNames.discriminatorOfB, discriminatorOfB)
        + Self.named(JunyanzNames.discriminatorOfA, discriminatorOfA),
      learningRate: configuration.learningRate, beta1: configuration.beta1)
    poolA = ImagePool(capacity: configuration.poolSize, seed: rng.next())
    poolB = ImagePool(capacity: configuration.poolSize, seed: rng.next())
  }

  static func named(_ prefix: String, _ layer: any Layer) -> [NamedVariable] {
    layer.parameters.map { $0.prefixed(prefix) }
  }

  /// The four networks under their file prefixes (junyanz's G_A, G_B, D_A, D_B, in that order).
  public var networks: [(prefix: String, layer: any Layer)] {
    [
      (JunyanzNames.generatorAtoB, generatorAtoB), (JunyanzNames.generatorBtoA, generatorBtoA),
      (JunyanzNames.discriminatorOfB, discriminatorOfB), (JunyanzNames.discriminatorOfA, discriminatorOfA),
    ]
  }

  /// One optimization step on a batch of each domain, realA: (N, C, H, W), realB: (N, C, H, W):
  /// generators first with both discriminators frozen, then both discriminators on pooled translations.
  public mutating func trainingStep(realA: Tensor, realB: Tensor) -> CycleGANLosses {
    let c = configuration
    let a = Variable(realA)
    let b = Variable(realB)

    // Generators, discriminators frozen (no gradients of their weights). Both round trips run before either
    // identity pass: each generator sees its inputs in junyanz's order, which fixes its dropout masks.
    setRequiresGrad(false, discriminatorOfA, discriminatorOfB)
    let (tripA, tripB, identities) = generatorPasses(a, b)
    // The identity weight is the other domain's λ times λ_identity, as junyanz.
    let aToB = generatorLosses(
      from: a, to: b, trip: tripA, identity: identities?.ofB, judge: discriminatorOfB,
      cycleWeight: c.lambdaA, identityWeight: c.lambdaB * c.lambdaIdentity, style: styleTargets?.b)
    let bToA = generatorLosses(
      from: b, to: a, trip: tripB, identity: identities?.ofA, judge: discriminatorOfA,
      cycleWeight: c.lambdaB, identityWeight: c.lambdaA * c.lambdaIdentity, style: styleTargets?.a)
    // Summed term by term, A → B before B → A: the order of the sum fixes the order in which gradients
    // accumulate, so it is kept bit for bit.
    let terms =
      [aToB.adversarial, bToA.adversarial, aToB.cycle, bToA.cycle]
      + [aToB.identity, bToA.identity].compactMap { $0 } + [aToB.style, bToA.style].compactMap { $0 }
    let total = terms.dropFirst().reduce(terms[0], +)
    optimizerG.zeroGrad()
    total.backward()
    replicas.average(optimizerG)
    optimizerG.update()
    setRequiresGrad(true, discriminatorOfA, discriminatorOfB)

    // Discriminators: real → 1, a pooled (detached) translation → 0, each loss halved. The pools see the whole
    // global batch on every rank (the same draws as one process), and each rank judges its share of their answer.
    let fakeB = replicas.mine(of: poolB.query(replicas.gathered(tripA.translated.value)), own: tripA.translated.value)
    let fakeA = replicas.mine(of: poolA.query(replicas.gathered(tripB.translated.value)), own: tripB.translated.value)
    let lossOfB = discriminatorLoss(discriminatorOfB, real: b, fake: fakeB)
    let lossOfA = discriminatorLoss(discriminatorOfA, real: a, fake: fakeA)
    optimizerD.zeroGrad()
    lossOfB.backward()
    lossOfA.backward()
    replicas.average(optimizerD)
    optimizerD.update()

    var losses = CycleGANLosses()
    losses.aToB = aToB.values(discriminator: lossOfB.scalar)
    losses.bToA = bToA.values(discriminator: lossOfA.scalar)
    return losses
  }

  /// x translated by a generator, and back by the other one.
  struct RoundTrip { let translated: Variable, reconstructed: Variable }

  private func roundTrip(_ x: Variable, _ generator: any Layer, _ inverse: any Layer) -> RoundTrip {
    let translated = generator(x)
    return RoundTrip(translated: translated, reconstructed: inverse(translated))
  }

  /// Whether `generatorPasses` may batch the generator calls of samples that do not interact (tests compare both
  /// ways).
  @TaskLocal static var joinsIdentityPasses = true

  /// Both round trips and, when λ_identity > 0, the identity translations: generatorAtoB(b) and
  /// generatorBtoA(a), the generators applied to images already of their target domain.
  private func generatorPasses(_ a: Variable, _ b: Variable) -> (
    tripA: RoundTrip, tripB: RoundTrip, identities: (ofB: Variable, ofA: Variable)?
  ) {
    guard configuration.lambdaIdentity > 0 else {
      return (roundTrip(a, generatorAtoB, generatorBtoA), roundTrip(b, generatorBtoA, generatorAtoB), nil)
    }
    guard Self.joinsIdentityPasses, a.shape == b.shape, treatsSamplesIndependently(generatorAtoB),
      treatsSamplesIndependently(generatorBtoA)
    else {
      // Both round trips run before either identity pass: each generator sees its inputs in junyanz's order,
      // which fixes its dropout masks.
      let tripA = roundTrip(a, generatorAtoB, generatorBtoA)  // A → B → A
      let tripB = roundTrip(b, generatorBtoA, generatorAtoB)  // B → A → B
      return (tripA, tripB, (generatorAtoB(b), generatorBtoA(a)))
    }
    // The samples do not interact (no dropout, no batch norm), so the six generator calls collapse into three
    // batches, as few as the round trips' dependencies allow: generatorAtoB(a, b), then generatorBtoA(b, a, its
    // translation of a), then generatorAtoB(generatorBtoA(b)). Each Winograd kernel transform (8% of a ResNet-9
    // step at 128²) then serves several images, whose GEMMs run side by side, and the weight gradients are summed
    // before their transform back (weight_avx2 8.1% → 4.2% of the step's profile; the ResNet-9 step at 128², 2
    // threads: 2293 → 1764–1823 ms, 0.76 → 0.56–0.58 of PyTorch eager). Only summation orders differ from six
    // separate calls.
    let n = a.shape[0]
    let slice = { (x: Variable, i: Int) in batchSlice(x, i * n..<(i + 1) * n) }
    let fromAandB = generatorAtoB(concatBatch([a, b]))
    let fakeB = slice(fromAandB, 0)
    let intoA = generatorBtoA(concatBatch([b, a, fakeB]))
    let fakeA = slice(intoA, 0)
    return (
      RoundTrip(translated: fakeB, reconstructed: slice(intoA, 2)),
      RoundTrip(translated: fakeA, reconstructed: generatorAtoB(fakeA)),
      (slice(fromAandB, 1), slice(intoA, 1))
    )
  }

  /// One generator's loss terms on the tape; identity and style are nil when their weight is 0.
  struct GeneratorTerms {
    let adversarial: Variable, cycle: Variable, identity: Variable?, style: Variable?

    func values(discriminator: Float) -> DirectionLosses {
      var d = DirectionLosses()
      d.adversarial = adversarial.scalar
      d.cycle = cycle.scalar
      d.identity = identity?.scalar ?? 0
      d.style = style?.scalar ?? 0
      d.discriminator = discriminator
      return d
    }
  }

  /// The losses of `generator`, which translates `source` images (x) into the domain of `target` images (y):
  /// its translations judged real by `judge` (LSGAN: (D(G(x)) − 1)²), cycleWeight · ‖inverse(G(x)) − x‖₁,
  /// identityWeight · ‖G(y) − y‖₁, and λ_style times the style distance of G(x) to the target domain.
  private func generatorLosses(
    from source: Variable, to target: Variable, trip: RoundTrip, identity translation: Variable?,
    judge: any Layer, cycleWeight: Float, identityWeight: Float, style: StyleLoss?
  )
    -> GeneratorTerms
  {
    let c = configuration
    let adversarial = ganLoss(judge(trip.translated), real: true, mode: c.ganMode)
    let cycle = loss(.l1, trip.reconstructed, source) * cycleWeight
    let identity = translation.map { loss(.l1, $0, target) * identityWeight }
    let styleLoss = c.lambdaStyle > 0 ? style.map { $0(trip.translated) * c.lambdaStyle } : nil
    return GeneratorTerms(adversarial: adversarial, cycle: cycle, identity: identity, style: styleLoss)
  }

  private func discriminatorLoss(_ d: any Layer, real: Variable, fake: Tensor) -> Variable {
    (ganLoss(d(real), real: true, mode: configuration.ganMode)
      + ganLoss(d(Variable(fake)), real: false, mode: configuration.ganMode)) * 0.5
  }

  /// Both sample images translated both ways and back (no tape, inference mode), realA, realB: (1, C, H, W).
  public func samples(_ realA: Tensor, _ realB: Tensor) -> SampleRow {
    LayerMode.inference {
      GradientMode.withoutGradients {
        let fakeB = generatorAtoB(Variable(realA))
        let fakeA = generatorBtoA(Variable(realB))
        return SampleRow(tiles: [
          .init(role: .real, inB: false, image: realA), .init(role: .fake, inB: true, image: fakeB.value),
          .init(role: .reconstructed, inB: false, image: generatorBtoA(fakeB).value),
          .init(role: .real, inB: true, image: realB), .init(role: .fake, inB: false, image: fakeA.value),
          .init(role: .reconstructed, inB: true, image: generatorAtoB(fakeA).value),
        ])
      }
    }
  }

  public static var paired: Bool { false }
  public static func configuration(_ preset: TrainingPreset) -> CycleGANConfiguration { preset.configuration }
  public var learningRate: Float { optimizerG.learningRate }
  public var lossGroups: [LossGroup] { CycleGANLosses.groups(style: configuration.lambdaStyle > 0) }

  /// Gram targets of each domain when the style loss is on (not checkpointed: a fixed function of the data).
  public mutating func prepare(for options: TrainingOptions) throws {
    guard configuration.lambdaStyle > 0 else { return }
    styleTargets = try Self.styleTargets(
      configuration, a: options.domainA.folder, b: options.domainB.folder,
      size: options.augmentation.cropSize)
  }

  /// Gram targets: each domain's images (up to 64) at the crop size; a style image replaces domain B's.
  static func styleTargets(_ c: CycleGANConfiguration, a: URL, b: URL, size: Int) throws -> (a: StyleLoss, b: StyleLoss)
  {
    let network = RandomFeatureNetwork()
    let targetA = try StyleLoss(network: network, folder: a.path, size: size)
    if let path = c.styleImage {
      let image = try ImageDecoder.load(path: path).image
      return (targetA, StyleLoss(network: network, styleImage: image, size: size))
    }
    return (targetA, try StyleLoss(network: network, folder: b.path, size: size))
  }

  /// Sets both optimizers' learning rate for `epoch` (1-based) from the linear schedule.
  public mutating func setEpoch(_ epoch: Int) {
    let rate = configuration.learningRate * configuration.schedule.multiplier(epoch: epoch)
    optimizerG.learningRate = rate
    optimizerD.learningRate = rate
  }
}

/// True when `layer` computes each sample of a batch from that sample alone and draws no random numbers: no
/// dropout (its masks follow the order of calls) and no batch norm (statistics over the batch), at any depth.
func treatsSamplesIndependently(_ layer: any Layer) -> Bool {
  !(layer is Dropout) && !(layer is BatchNorm2d) && layer.sublayers.allSatisfy(treatsSamplesIndependently)
}
