// The one table between our names and junyanz's (pytorch-CycleGAN-and-pix2pix): used only where a file is
// read or written — checkpoint and model-file prefixes, the loss columns of losses.csv.

/// junyanz names everything after a direction's source domain: G_A translates A → B; D_A judges G_A's
/// outputs, so it is the discriminator *of domain B*; D_A, G_A, cycle_A and idt_A are the A → B direction's
/// losses. In the code: `generatorAtoB`, `discriminatorOfB`, `losses.aToB.cycle`.
enum JunyanzNames {
  static let generatorAtoB = "G_A", generatorBtoA = "G_B"
  static let discriminatorOfB = "D_A", discriminatorOfA = "D_B"

  /// losses.csv's loss columns, in its order: junyanz's eight, then our style losses.
  static let lossColumns: [(name: String, loss: WritableKeyPath<CycleGANLosses, Float> & Sendable)] = [
    ("D_A", \.aToB.discriminator), ("G_A", \.aToB.adversarial), ("cycle_A", \.aToB.cycle), ("idt_A", \.aToB.identity),
    ("D_B", \.bToA.discriminator), ("G_B", \.bToA.adversarial), ("cycle_B", \.bToA.cycle), ("idt_B", \.bToA.identity),
    ("style_A", \.aToB.style), ("style_B", \.bToA.style),
  ]
}

extension Direction {
  /// The prefix of this direction's generator in model files and checkpoints.
  var prefix: String { self == .aToB ? JunyanzNames.generatorAtoB : JunyanzNames.generatorBtoA }
}
