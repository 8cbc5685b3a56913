// What a CycleGAN training step reports: each direction's generator losses (adversarial, cycle, identity,
// style) and the loss of the discriminator that judges its outputs, as named fields.

/// One direction's losses, e.g. A → B: its generator's, and that of the discriminator judging its outputs
/// (for A → B the discriminator of B). A term that is off (identity or style weight 0) is 0.
public struct DirectionLosses: Sendable, Equatable {
  /// The generator's translations judged as real by the target domain's discriminator.
  public var adversarial: Float = 0
  /// λ_source · ‖inverse(generator(x)) − x‖₁: the round trip back to the source domain.
  public var cycle: Float = 0
  /// λ_target · λ_identity · ‖generator(y) − y‖₁ on target-domain images y.
  public var identity: Float = 0
  /// λ_style · the Gram (style) distance of the translations to the target domain (ours).
  public var style: Float = 0
  /// The target domain's discriminator: real images → 1, pooled translations → 0, halved.
  public var discriminator: Float = 0

  public init() {}
}

public struct CycleGANLosses: TrainingLosses, Equatable {
  public var aToB = DirectionLosses(), bToA = DirectionLosses()

  public init() {}

  /// The columns of losses.csv (junyanz's names: D_A, G_A, cycle_A, idt_A, D_B, …, then style_A, style_B)
  /// and the loss each holds; the progress line and the report label the losses the same way.
  public static var columns: [(name: String, loss: WritableKeyPath<CycleGANLosses, Float> & Sendable)] {
    JunyanzNames.lossColumns
  }

  public static var columnNames: [String] { columns.map(\.name) }
  public var named: [NamedLoss] { Self.columns.map { NamedLoss($0.name, self[keyPath: $0.loss]) } }

  /// How the report charts them; the style losses only when the run has a style weight.
  static func groups(style: Bool) -> [LossGroup] {
    [
      LossGroup("discriminators", ["D_A", "D_B"]), LossGroup("generators (adversarial)", ["G_A", "G_B"]),
      LossGroup("cycle and identity", ["cycle_A", "idt_A", "cycle_B", "idt_B"]),
    ]
      + (style ? [LossGroup("style", ["style_A", "style_B"])] : [])
  }
}
