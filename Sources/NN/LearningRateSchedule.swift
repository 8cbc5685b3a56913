// Learning-rate schedules as multipliers of the base rate, per 1-based epoch (junyanz networks.get_scheduler).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum LearningRateSchedule: Equatable, Sendable {
  /// The base rate throughout.
  case constant
  /// junyanz's `linear` policy: the base rate for `constantEpochs` (n_epochs), then a linear decay over
  /// `decayEpochs` (n_epochs_decay): multiplier(e) = 1 − (e − n)/(d + 1) for e > n.
  /// Deviation: junyanz steps its LambdaLR at the start of each epoch, so its last epoch trains at rate 0;
  /// here epoch n + d trains at base/(d + 1), the last non-zero step of the same line.
  case linear(constantEpochs: Int, decayEpochs: Int)
  /// × gamma every `every` epochs (StepLR: epochs 1…every at the base rate).
  case step(every: Int, gamma: Float)
  /// Cosine annealing to 0 over `totalEpochs` (CosineAnnealingLR, eta_min 0), epoch 1 at the base rate.
  case cosine(totalEpochs: Int)

  /// Multiplier of the base learning rate while training epoch `epoch` (1-based).
  public func multiplier(epoch: Int) -> Float {
    precondition(epoch >= 1, "LearningRateSchedule: epochs count from 1, got \(epoch)")
    switch self {
    case .constant: return 1
    case .linear(let n, let d): return epoch <= n ? 1 : max(0, 1 - Float(epoch - n) / Float(d + 1))
    case .step(let every, let gamma): return Float(pow(Double(gamma), Double((epoch - 1) / max(every, 1))))
    case .cosine(let total): return Float((1 + cos(Double.pi * Double(epoch - 1) / Double(max(total, 1)))) / 2)
    }
  }
}
