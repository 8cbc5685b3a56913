// Central finite differences, accumulated in Double, against the gradients autograd computes for
// L = Σ r ⊙ f(inputs) with a fixed random projection r.

import Autograd
import TestSupport

struct GradientCheckResult: CustomStringConvertible {
  var worst: Double = 0
  var failures: [String] = []
  var description: String { failures.isEmpty ? "ok (worst \(worst))" : failures.prefix(5).joined(separator: "; ") }
}

/// Values in ±[0.1, 1.1]: away from the kinks of ReLU and |·| at 0.
func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
  randomTensor(shape, seed: seed).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
}

/// Compares analytic and numeric gradients of every input at up to `samples` positions each.
/// Passes when |analytic − numeric| ≤ atol + rtol·|numeric|, atol scaled by the input's largest gradient.
func checkGradients(
  _ inputs: [Tensor], eps: Float = 1e-2, rtol: Double = 1e-2, samples: Int = 30,
  _ f: ([Variable]) -> Variable
) -> GradientCheckResult {
  let variables = inputs.map { Variable($0, requiresGrad: true) }
  let y = f(variables)
  let r = randomTensor(y.shape, seed: 99)
  sum(y * Variable(r)).backward()

  func projected(_ values: [Tensor]) -> [Float] {
    GradientMode.withoutGradients { f(values.map { Variable($0) }).value.scalars }
  }
  var result = GradientCheckResult()
  var rng = SeededGenerator(seed: 1234)
  for (i, input) in inputs.enumerated() {
    guard let analytic = variables[i].grad else {
      result.failures.append("input \(i): no gradient")
      continue
    }
    let scale = Double(analytic.scalars.reduce(0) { max($0, abs($1)) })
    let positions =
      input.count <= samples
      ? Array(0..<input.count) : (0..<samples).map { _ in Int(rng.next() % UInt64(input.count)) }
    for p in positions {
      var plus = inputs
      var minus = inputs
      plus[i][flat: p] += eps
      minus[i][flat: p] -= eps
      let (yp, ym) = (projected(plus), projected(minus))
      var difference = 0.0
      for j in 0..<yp.count where yp[j] != ym[j] { difference += Double(r[flat: j]) * (Double(yp[j]) - Double(ym[j])) }
      let numeric = difference / (2 * Double(eps))
      let a = Double(analytic[flat: p])
      let error = abs(a - numeric)
      result.worst = max(result.worst, error / (1e-3 * max(scale, 1e-3) + rtol * abs(numeric)))
      if error > 1e-3 * max(scale, 1e-3) + rtol * abs(numeric) {
        result.failures.append("input \(i)[\(p)]: analytic \(a) numeric \(numeric)")
      }
    }
  }
  return result
}
