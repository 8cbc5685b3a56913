// The adversarial objective of junyanz's GANLoss: least squares (Mao et al. 2017, CycleGAN's default) or the
// original cross-entropy on logits; the target is a constant map of 1 (real) or 0 (fake) shaped like the scores.

public enum GANMode: String, Sendable, CaseIterable, Codable {
  /// MSE against 1 / 0.
  case lsgan
  /// BCE-with-logits against 1 / 0.
  case vanilla
}

/// Loss of discriminator scores `prediction` (N, 1, H′, W′) against the label `real`.
public func ganLoss(_ prediction: Variable, real: Bool, mode: GANMode) -> Variable {
  let target = Variable(Tensor(repeating: real ? 1 : 0, shape: prediction.shape))
  return loss(mode == .lsgan ? .mse : .bceWithLogits, prediction, target)
}

/// junyanz's set_requires_grad: false freezes a discriminator's weights during the generator step (gradients
/// still flow through it to the generator's outputs).
func setRequiresGrad(_ flag: Bool, _ layers: any Layer...) {
  for layer in layers { for p in layer.parameters { p.variable.requiresGrad = flag } }
}
