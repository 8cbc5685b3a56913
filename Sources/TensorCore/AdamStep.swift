// The element loop of an Adam step, in C (CKernels/optimizers.c): 8 lanes at a time where the CPU has AVX2, with
// the same bits as the scalar formula (each operation rounded, no fused multiply-add, IEEE √ and ÷).

import CKernels

/// The per-step constants of torch.optim.Adam's update.
public struct AdamCoefficients: Sendable {
  /// 1 − β1, 1 − β2 (in Float, as the scalar formula computes them), β2.
  public let oneMinusBeta1: Float, beta2: Float, oneMinusBeta2: Float
  /// lr / (1 − β1ᵗ) and √(1 − β2ᵗ) (bias corrections), ε, L2 weight decay.
  public let stepSize: Float, bias2Root: Float, eps: Float, weightDecay: Float

  public init(beta1: Float, beta2: Float, stepSize: Float, bias2Root: Float, eps: Float, weightDecay: Float) {
    (oneMinusBeta1, self.beta2, oneMinusBeta2) = (1 - beta1, beta2, 1 - beta2)
    (self.stepSize, self.bias2Root, self.eps, self.weightDecay) = (stepSize, bias2Root, eps, weightDecay)
  }
}

/// For i in [0, count): g' = g + decay·w (decay ≠ 0), m += (1 − β1)(g' − m), v = v·β2 + ((1 − β2)·g')·g',
/// w −= stepSize · (m / (√v / bias2Root + ε)).
public func adamStep(
  weights w: UnsafeMutablePointer<Float>, firstMoment m: UnsafeMutablePointer<Float>,
  secondMoment v: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int, _ c: AdamCoefficients
) {
  ck_adam(
    w, m, v, g, count, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.stepSize, c.bias2Root, c.eps, c.weightDecay)
}
