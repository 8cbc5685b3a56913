// CycleGAN (Zhu et al. 2017) as junyanz's cycle_gan_model.py: two generators, two PatchGAN discriminators,
// LSGAN + cycle-consistency + identity losses, image pools; `trainingStep` is optimize_parameters.

/// The eight losses junyanz logs, by its names: D_A, G_A, cycle_A, idt_A, D_B, G_B, cycle_B, idt_B, and our
/// optional style losses style_A (G_A's outputs against domain B's style) and style_B.
/// junyanz's "A" losses belong to G_A (A→B) and to D_A, which judges domain B.
public struct CycleGANLosses: Sendable, Equatable {
  public var discriminatorA: Float = 0, generatorA: Float = 0, cycleA: Float = 0, identityA: Float = 0
  public var discriminatorB: Float = 0, generatorB: Float = 0, cycleB: Float = 0, identityB: Float = 0
  public var styleA: Float = 0, styleB: Float = 0

  public static let names = ["D_A", "G_A", "cycle_A", "idt_A", "D_B", "G_B", "cycle_B", "idt_B", "style_A", "style_B"]
  public var values: [Float] {
    [discriminatorA, generatorA, cycleA, identityA, discriminatorB, generatorB, cycleB, identityB, styleA, styleB]
  }
  init(_ v: [Float]) {
    (discriminatorA, generatorA, cycleA, identityA) = (v[0], v[1], v[2], v[3])
    (discriminatorB, generatorB, cycleB, identityB) = (v[4], v[5], v[6], v[7])
    (styleA, styleB) = (v[8], v[9])
  }
  public init() {}
  public var allFinite: Bool { values.allSatisfy(\.isFinite) }
}

public struct CycleGAN {
  public let configuration: CycleGANConfiguration
  /// G_A: A → B, and G_B: B → A.
  public let generatorAB: any Layer, generatorBA: any Layer
  /// D_A judges images of domain B (real B vs G_A's fakes); D_B judges domain A. junyanz's names.
  public let discriminatorB: any Layer, discriminatorA: any Layer
  public var optimizerG: Adam, optimizerD: Adam
  public var poolA: ImagePool, poolB: ImagePool
  /// Style targets of domain A and domain B when `configuration.lambdaStyle > 0` (rebuilt from the data on
  /// resume, not checkpointed: they are a fixed function of the training images).
  public var styleTargets: (a: StyleLoss, b: StyleLoss)?

  /// A fresh model, initialized as junyanz's init_weights from `configuration.seed`.
  public init(_ configuration: CycleGANConfiguration) {
    self.configuration = configuration
    var rng = SeededGenerator(seed: configuration.seed)
    generatorAB = configuration.generator.build(seed: rng.next())
    generatorBA = configuration.generator.build(seed: rng.next())
    discriminatorB = configuration.makeDiscriminator()
    discriminatorA = configuration.makeDiscriminator()
    for net in [generatorAB, generatorBA, discriminatorB, discriminatorA] {
      initializeWeights(net, configuration.initKind, gain: configuration.initGain, using: &rng)
    }
    optimizerG = Adam(Self.named("G_A", generatorAB) + Self.named("G_B", generatorBA),
                      learningRate: configuration.learningRate, beta1: configuration.beta1)
    optimizerD = Adam(Self.named("D_A", discriminatorB) + Self.named("D_B", discriminatorA),
                      learningRate: configuration.learningRate, beta1: configuration.beta1)
    poolA = ImagePool(capacity: configuration.poolSize, seed: rng.next())
    poolB = ImagePool(capacity: configuration.poolSize, seed: rng.next())
  }

  static func named(_ prefix: String, _ layer: any Layer) -> [NamedVariable] {
    layer.parameters.map { $0.prefixed(prefix) }
  }

  /// The four networks under their checkpoint prefixes.
  public var networks: [(prefix: String, layer: any Layer)] {
    [("G_A", generatorAB), ("G_B", generatorBA), ("D_A", discriminatorB), ("D_B", discriminatorA)]
  }

  /// One optimization step on a batch of each domain, realA: (N, C, H, W), realB: (N, C, H, W):
  /// generators first with both discriminators frozen, then both discriminators on pooled fakes.
  public mutating func trainingStep(realA: Tensor, realB: Tensor) -> CycleGANLosses {
    let c = configuration
    let a = Variable(realA), b = Variable(realB)
    var losses = CycleGANLosses()

    // Generators: adversarial + cycle + identity, discriminators frozen (no gradients of their weights).
    setFrozen(true, discriminatorA, discriminatorB)
    let fakeB = generatorAB(a), reconstructedA = generatorBA(fakeB)
    let fakeA = generatorBA(b), reconstructedB = generatorAB(fakeA)
    let adversarialA = ganLoss(discriminatorB(fakeB), real: true, mode: c.ganMode)
    let adversarialB = ganLoss(discriminatorA(fakeA), real: true, mode: c.ganMode)
    let cycleA = loss(.l1, reconstructedA, a) * c.lambdaA
    let cycleB = loss(.l1, reconstructedB, b) * c.lambdaB
    var total = adversarialA + adversarialB + cycleA + cycleB
    if c.lambdaIdentity > 0 {
      // G_A should leave B images alone and G_B A images (weights: the other domain's λ, as junyanz).
      let identityA = loss(.l1, generatorAB(b), b) * (c.lambdaB * c.lambdaIdentity)
      let identityB = loss(.l1, generatorBA(a), a) * (c.lambdaA * c.lambdaIdentity)
      total = total + identityA + identityB
      losses.identityA = identityA.scalar
      losses.identityB = identityB.scalar
    }
    if c.lambdaStyle > 0, let style = styleTargets {
      let styleA = style.b(fakeB) * c.lambdaStyle, styleB = style.a(fakeA) * c.lambdaStyle
      total = total + styleA + styleB
      losses.styleA = styleA.scalar
      losses.styleB = styleB.scalar
    }
    optimizerG.zeroGrad()
    total.backward()
    optimizerG.update()
    setFrozen(false, discriminatorA, discriminatorB)
    losses.generatorA = adversarialA.scalar; losses.generatorB = adversarialB.scalar
    losses.cycleA = cycleA.scalar; losses.cycleB = cycleB.scalar

    // Discriminators: real → 1, a pooled (detached) fake → 0, each loss halved.
    let lossDA = discriminatorLoss(discriminatorB, real: b, fake: poolB.query(fakeB.value))
    let lossDB = discriminatorLoss(discriminatorA, real: a, fake: poolA.query(fakeA.value))
    optimizerD.zeroGrad()
    lossDA.backward()
    lossDB.backward()
    optimizerD.update()
    losses.discriminatorA = lossDA.scalar
    losses.discriminatorB = lossDB.scalar
    return losses
  }

  private func discriminatorLoss(_ d: any Layer, real: Variable, fake: Tensor) -> Variable {
    (ganLoss(d(real), real: true, mode: configuration.ganMode)
      + ganLoss(d(Variable(fake)), real: false, mode: configuration.ganMode)) * 0.5
  }

  private func setFrozen(_ frozen: Bool, _ layers: any Layer...) {
    for layer in layers { for p in layer.parameters { p.variable.requiresGrad = !frozen } }
  }

  /// Both sample images translated both ways (no tape, inference mode), realA, realB: (1, C, H, W).
  public func samples(_ realA: Tensor, _ realB: Tensor) -> SampleRow {
    LayerMode.inference {
      GradientMode.withoutGradients {
        let fakeB = generatorAB(Variable(realA)), fakeA = generatorBA(Variable(realB))
        return SampleRow(realA: realA, fakeB: fakeB.value, reconstructedA: generatorBA(fakeB).value,
                         realB: realB, fakeA: fakeA.value, reconstructedB: generatorAB(fakeA).value)
      }
    }
  }

  /// Sets both optimizers' learning rate for `epoch` (1-based) from the linear schedule.
  public mutating func setEpoch(_ epoch: Int) {
    let rate = configuration.learningRate * configuration.schedule.multiplier(epoch: epoch)
    optimizerG.learningRate = rate
    optimizerD.learningRate = rate
  }
}
