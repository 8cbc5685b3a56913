// The one table between our names and junyanz's (pytorch-CycleGAN-and-pix2pix): used only where a file is
// read or written — checkpoint and model-file prefixes, the loss columns of losses.csv (CycleGAN, pix2pix, and
// CUT after taesungp's fork of the same code).

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

  /// pix2pix's networks (pix2pix_model.py netG: A → B, netD: judges (A, B) pairs) and its loss columns, in
  /// junyanz's loss_names order.
  static let pix2pixGenerator = "G", pix2pixDiscriminator = "D"
  static let pix2pixLossColumns: [(name: String, loss: WritableKeyPath<Pix2PixLosses, Float> & Sendable)] = [
    ("G_GAN", \.adversarial), ("G_L1", \.l1), ("D_real", \.discriminatorReal), ("D_fake", \.discriminatorFake),
  ]

  /// CUT's networks are taesungp's netG, netD, netF (its fork of junyanz's code keeps the conventions), saved as
  /// G, D, F; its loss columns in cut_model.py's loss_names order (NCE_Y: the identity term, CUT only).
  static let cutLossColumns: [(name: String, loss: WritableKeyPath<CUTLosses, Float> & Sendable)] = [
    ("G_GAN", \.adversarial), ("D_real", \.discriminatorReal), ("D_fake", \.discriminatorFake), ("G", \.generator),
    ("NCE", \.nce), ("NCE_Y", \.identityNCE),
  ]
}

extension Direction {
  /// The prefix of this direction's generator in model files and checkpoints.
  var prefix: String { self == .aToB ? JunyanzNames.generatorAtoB : JunyanzNames.generatorBtoA }
}
