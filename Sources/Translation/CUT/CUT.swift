// CUT and FastCUT (Park, Efros, Zhang, Zhu, ECCV 2020) as taesungp's cut_model.py: one ResNet generator A → B,
// one PatchGAN judging domain B (LSGAN), the feature heads F, PatchNCE on the generator's own encoder layers;
// `trainingStep` is optimize_parameters (discriminator first, then generator and F with the judge frozen).

/// The losses of one step, under taesungp's names in the comments (and as losses.csv's columns).
public struct CUTLosses: TrainingLosses, Equatable, Codable {
  /// G_GAN: λ_GAN · (D(G(a)) − 1)², 0 when λ_GAN is 0.
  public var adversarial: Float = 0
  /// D_real and D_fake: the judge's (D(b) − 1)² and D(G(a))² (the step minimizes their mean).
  public var discriminatorReal: Float = 0, discriminatorFake: Float = 0
  /// G: what the generator and F minimize, G_GAN plus NCE (CUT: plus the mean of NCE and NCE_Y instead).
  public var generator: Float = 0
  /// NCE: mean over layers of λ_NCE · PatchNCE(G(a), a), 0 when λ_NCE is 0.
  public var nce: Float = 0
  /// NCE_Y: the same for G(b) against b (CUT's identity term), 0 when off or when λ_NCE is 0.
  public var identityNCE: Float = 0
  public init() {}

  public static var columns: [(name: String, loss: WritableKeyPath<CUTLosses, Float> & Sendable)] {
    JunyanzNames.cutLossColumns
  }
  public static var columnNames: [String] { columns.map(\.name) }
  public var named: [NamedLoss] { Self.columns.map { NamedLoss($0.name, self[keyPath: $0.loss]) } }
}

/// The random choices of one step. taesungp draws them from NumPy inside the step; tests pass them in.
public struct CUTStepChoices: Sendable {
  /// FastCUT's flip of the inputs (always false without flip-equivariance).
  public var flipped: Bool
  /// Patch positions per contrasted layer for the NCE loss of A, and for the identity loss of B (CUT).
  public var positions: [[Int]], identityPositions: [[Int]]
  public init(flipped: Bool, positions: [[Int]], identityPositions: [[Int]] = []) {
    self.flipped = flipped
    self.positions = positions
    self.identityPositions = identityPositions
  }
}

public struct CUT {
  public let configuration: CUTConfiguration
  /// The generator A → B, whose encoder layers are also the feature extractor of the NCE loss.
  public let generator: ResnetGenerator
  /// The PatchGAN judging domain B.
  public let discriminatorOfB: any Layer
  /// F: the projection heads of the sampled patches.
  public let patchSampler: PatchSampler
  public var optimizerG: Adam, optimizerD: Adam, optimizerF: Adam
  /// Draws the flips and the patch positions (taesungp: NumPy's global generator).
  public var rng: SeededGenerator
  /// The contrasted layers this generator has (configuration.nceLayers below its layer count, ascending).
  public let nceLayers: [Int]
  /// The other ranks of a data-parallel run (none by default).
  public var replicas = Replicas()

  /// A fresh model, initialized as taesungp's init_net from `configuration.seed`.
  public init(_ configuration: CUTConfiguration) throws(CUTError) {
    self.configuration = configuration
    // taesungp's num_patches 0 (whole feature maps) is not supported: the patches are always sampled. The upper
    // bounds (far above any real run) keep a hostile checkpoint from asking for absurd heads.
    guard (1...Self.Limits.patches).contains(configuration.patches),
      (1...Self.Limits.featureWidth).contains(configuration.featureWidth), configuration.temperature > 0,
      configuration.temperature.isFinite
    else {
      throw .invalidOption(
        "patches \(configuration.patches) (1…\(Self.Limits.patches)), feature width \(configuration.featureWidth) "
          + "(1…\(Self.Limits.featureWidth)) and temperature \(configuration.temperature) (positive) are out of range")
    }
    var rng = SeededGenerator(seed: configuration.seed)
    guard let generator = configuration.generator.build(seed: rng.next()) as? ResnetGenerator else {
      throw .unsupportedGenerator(configuration.generator.summary)
    }
    self.generator = generator
    discriminatorOfB = configuration.makeDiscriminator()
    // Indices past the last layer are dropped (a ResNet generator has 19 + blocks layers, so 0…16 always
    // exist; with fewer than 7 blocks layers 12 and 16 are upsampling-path outputs, as in taesungp).
    let layers = Array(Set(configuration.nceLayers.filter { $0 >= 0 && $0 < generator.model.layers.count })).sorted()
    guard !layers.isEmpty else { throw .noContrastedLayers(configuration.nceLayers) }
    nceLayers = layers
    // taesungp's data_dependent_initialize makes F's heads at the first forward, from the shapes of the first
    // batch's features, and only then its optimizer (its extra D and G backward there leaves no trace: every
    // step zeroes gradients first). The heads depend only on the features' channel counts, fixed by the
    // architecture, so a dry run on a small zero image gives the same F, and we build it up front.
    let channels = LayerMode.inference {
      generator.features(Variable(Tensor(zeros: [1, generator.inChannels, 16, 16])), layers: layers).map { $0.shape[1] }
    }
    patchSampler = PatchSampler(channels: channels, width: configuration.featureWidth)
    for net in [generator, discriminatorOfB, patchSampler.network] {
      initializeWeights(net, configuration.initKind, gain: configuration.initGain, using: &rng)
    }
    let (lr, beta1) = (configuration.learningRate, configuration.beta1)
    optimizerG = Adam(generator.parameters.map { $0.prefixed(Self.generatorPrefix) }, learningRate: lr, beta1: beta1)
    optimizerD = Adam(
      discriminatorOfB.parameters.map { $0.prefixed(Self.discriminatorPrefix) }, learningRate: lr, beta1: beta1)
    optimizerF = Adam(patchSampler.parameters.map { $0.prefixed(Self.featurePrefix) }, learningRate: lr, beta1: beta1)
    self.rng = SeededGenerator(seed: rng.next())
  }

  /// File prefixes: taesungp's netG, netD, netF (saved as G, D, F).
  static let generatorPrefix = "G", discriminatorPrefix = "D", featurePrefix = "F"

  enum Limits {
    static let patches = 1 << 16, featureWidth = 4096
  }

  /// The three networks under their file prefixes.
  public var networks: [(prefix: String, layer: any Layer)] {
    [
      (Self.generatorPrefix, generator), (Self.discriminatorPrefix, discriminatorOfB),
      (Self.featurePrefix, patchSampler.network),
    ]
  }

  /// One optimization step, realA, realB: (N, C, H, W), drawing the flip and the patch positions from `rng`
  /// in taesungp's order (the flip in forward, then the positions of each NCE loss as it is computed).
  public mutating func trainingStep(realA: Tensor, realB: Tensor) -> CUTLosses {
    var draws = rng
    let flipped = configuration.flipEquivariance && Double.random(in: 0..<1, using: &draws) < 0.5
    let patches = configuration.patches
    let losses = step(realA: realA, realB: realB, flipped: flipped) { _, planes in
      PatchSampler.drawPositions(planes: planes, count: patches, using: &draws)
    }
    rng = draws
    return losses
  }

  /// One optimization step with the random choices given (the PyTorch fixtures pass theirs).
  public mutating func trainingStep(realA: Tensor, realB: Tensor, choices: CUTStepChoices) -> CUTLosses {
    step(realA: realA, realB: realB, flipped: choices.flipped) { loss, _ in
      loss == .source ? choices.positions : choices.identityPositions
    }
  }

  /// Which NCE loss asks for positions: of A through G(A), or of B through G(B).
  enum NCETerm { case source, identity }

  /// optimize_parameters. `positions(term, planes)` gives the ids per contrasted layer, planes[i] = Hᵢ·Wᵢ.
  private mutating func step(
    realA: Tensor, realB: Tensor, flipped: Bool,
    positions: (NCETerm, [Int]) -> [[Int]]
  ) -> CUTLosses {
    let c = configuration
    let n = realA.shape[0]
    precondition(realB.shape[0] == n, "CUT: batches of \(n) and \(realB.shape[0]) images")
    let a = Variable(realA)
    let b = Variable(realB)
    // forward: G runs once on A and B together when the identity loss is on (real = cat(A, B)).
    var real = c.identityNCE ? concatBatch([a, b]) : a
    if flipped { real = flippedHorizontally(real) }
    let fake = generator(real)
    let translated = c.identityNCE ? batchSlice(fake, 0..<n) : fake
    let identity = c.identityNCE ? batchSlice(fake, n..<(2 * n)) : nil

    // The discriminator first, on the detached translation: ½ (D(G(a))² + (D(b) − 1)²).
    optimizerD.zeroGrad()
    let discriminatorFake = ganLoss(discriminatorOfB(Variable(translated.value)), real: false, mode: c.ganMode)
    let discriminatorReal = ganLoss(discriminatorOfB(b), real: true, mode: c.ganMode)
    ((discriminatorFake + discriminatorReal) * 0.5).backward()
    replicas.average(optimizerD)
    optimizerD.update()

    // Then G and F, judged by the updated, frozen discriminator.
    setDiscriminatorFrozen(true)
    optimizerG.zeroGrad()
    optimizerF.zeroGrad()
    let adversarial =
      c.lambdaGAN > 0 ? ganLoss(discriminatorOfB(translated), real: true, mode: c.ganMode) * c.lambdaGAN : nil
    // With λ_NCE 0 taesungp computes no NCE loss (and draws no positions).
    let nce =
      c.lambdaNCE > 0
      ? nceLoss(source: a, translated: translated, flipped: flipped, positions: { positions(.source, $0) }) : nil
    let identityNCE =
      c.lambdaNCE > 0
      ? identity.map { nceLoss(source: b, translated: $0, flipped: flipped, positions: { positions(.identity, $0) }) }
      : nil
    let contrastive = nce.map { nce in identityNCE.map { (nce + $0) * 0.5 } ?? nce }
    let terms = [adversarial, contrastive].compactMap { $0 }
    let total = terms.dropFirst().reduce(terms.first ?? Variable(Tensor(zeros: [])), +)
    total.backward()
    replicas.average(optimizerG)
    replicas.average(optimizerF)
    optimizerG.update()
    optimizerF.update()
    setDiscriminatorFrozen(false)

    var losses = CUTLosses()
    losses.adversarial = adversarial?.scalar ?? 0
    losses.discriminatorReal = discriminatorReal.scalar
    losses.discriminatorFake = discriminatorFake.scalar
    losses.generator = total.scalar
    losses.nce = nce?.scalar ?? 0
    losses.identityNCE = identityNCE?.scalar ?? 0
    return losses
  }

  /// calculate_NCE_loss: the mean over contrasted layers of λ_NCE · PatchNCE between the features of
  /// `translated` = G(source) (queries, mirrored back when the input was flipped) and those of `source` (keys,
  /// constants: patchnce.py detaches them, so they are computed without a tape). Query and key share positions.
  private func nceLoss(source: Variable, translated: Variable, flipped: Bool, positions: ([Int]) -> [[Int]]) -> Variable
  {
    let c = configuration
    var queryFeatures = generator.features(translated, layers: nceLayers)
    if flipped { queryFeatures = queryFeatures.map(flippedHorizontally) }
    let keyFeatures = GradientMode.withoutGradients { generator.features(source, layers: nceLayers) }
    let ids = positions(keyFeatures.map { $0.shape[2] * $0.shape[3] })
    let keys = GradientMode.withoutGradients { patchSampler(keyFeatures, positions: ids) }
    let queries = patchSampler(queryFeatures, positions: ids)
    let terms = zip(queries, keys).map { q, k in
      patchNCELoss(query: q, key: k.value, images: source.shape[0], temperature: c.temperature) * c.lambdaNCE
    }
    return terms.dropFirst().reduce(terms[0], +) * (1 / Float(terms.count))
  }

  private func setDiscriminatorFrozen(_ frozen: Bool) {
    for p in discriminatorOfB.parameters { p.variable.requiresGrad = !frozen }
  }

  /// Sets the three optimizers' learning rate for `epoch` (1-based) from the linear schedule.
  public mutating func setEpoch(_ epoch: Int) {
    let rate = configuration.learningRate * configuration.schedule.multiplier(epoch: epoch)
    optimizerG.learningRate = rate
    optimizerD.learningRate = rate
    optimizerF.learningRate = rate
  }

  /// realA: (N, C, H, W) translated to domain B (no tape, inference mode).
  public func translate(_ realA: Tensor) -> Tensor {
    LayerMode.inference { generator(Variable(realA)).value }
  }
}

extension CUT: TrainableModel {
  public static var paired: Bool { false }
  /// CUT's preset; `TrainingMethod.fastcut.configuration(preset)` gives FastCUT's.
  public static func configuration(_ preset: TrainingPreset) -> CUTConfiguration { .preset(preset, mode: .cut) }
  public var learningRate: Float { optimizerG.learningRate }
  public var lossGroups: [LossGroup] {
    [
      LossGroup("discriminator", ["D_real", "D_fake"]), LossGroup("generator", ["G_GAN", "G"]),
      LossGroup("PatchNCE", configuration.identityNCE ? ["NCE", "NCE_Y"] : ["NCE"]),
    ]
  }

  /// The sample row: real A | its translation | real B (an unpaired image of the target domain), in inference
  /// mode as `translate` runs the model.
  public func samples(_ realA: Tensor, _ realB: Tensor) -> SampleRow {
    SampleRow(tiles: [
      .init(role: .real, inB: false, image: realA), .init(role: .fake, inB: true, image: translate(realA)),
      .init(role: .real, inB: true, image: realB),
    ])
  }
}
