// Weight initialization as junyanz's `init_weights` (networks.py): Conv/ConvTranspose/Linear weights from
// the chosen scheme with gain 0.02 by default, their biases zero; BatchNorm weights N(1, gain), biases zero.
// Other layers keep their construction values. Fans follow torch.nn.init (dim 1 is fan-in, dim 0 fan-out).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum InitKind: String, Sendable, CaseIterable, Codable {
  /// N(0, gain²) — junyanz's default.
  case normal
  /// N(0, gain²·2/(fanIn + fanOut)).
  case xavier
  /// N(0, 2/fanIn) (kaiming_normal_, a = 0, mode fan_in; gain unused, as junyanz).
  case kaiming
  /// A (semi-)orthogonal matrix of shape (dim 0, rest) times gain.
  case orthogonal
}

/// Initializes every Conv2d, ConvTranspose2d, Linear and BatchNorm2d in `layer` (depth first, children in order).
public func initializeWeights(
  _ layer: any Layer, _ kind: InitKind = .normal, gain: Float = 0.02, using rng: inout some RandomNumberGenerator
) {
  for child in layer.sublayers { initializeWeights(child, kind, gain: gain, using: &rng) }
  switch layer {
  case let conv as Conv2d: initialize(conv.weight, conv.bias, kind, gain, &rng)
  case let conv as ConvTranspose2d: initialize(conv.weight, conv.bias, kind, gain, &rng)
  case let linear as Linear: initialize(linear.weight, linear.bias, kind, gain, &rng)
  case let norm as BatchNorm2d:
    norm.weight.value = Tensor.normal(norm.weight.shape, mean: 1, std: gain, using: &rng)
    norm.bias.value = Tensor(zeros: norm.bias.shape)
  default: break
  }
}

private func initialize(
  _ weight: Variable, _ bias: Variable?, _ kind: InitKind, _ gain: Float, _ rng: inout some RandomNumberGenerator
) {
  let shape = weight.shape
  let receptive = shape.dropFirst(2).reduce(1, *)
  let fanIn = shape.count > 1 ? shape[1] * receptive : shape[0]
  let fanOut = shape[0] * receptive
  switch kind {
  case .normal: weight.value = Tensor.normal(shape, std: gain, using: &rng)
  case .xavier: weight.value = Tensor.normal(shape, std: gain * (2 / Float(fanIn + fanOut)).squareRoot(), using: &rng)
  case .kaiming: weight.value = Tensor.normal(shape, std: (2 / Float(fanIn)).squareRoot(), using: &rng)
  case .orthogonal: weight.value = orthogonalTensor(shape, gain: gain, using: &rng)
  }
  bias?.value = Tensor(zeros: bias!.shape)
}

/// torch.nn.init.orthogonal_: QR of a normal (rows, cols) matrix (transposed when rows < cols), Q's columns
/// sign-corrected by diag(R), so the rows (or columns) are orthonormal; times gain.
func orthogonalTensor(_ shape: [Int], gain: Float, using rng: inout some RandomNumberGenerator) -> Tensor {
  let rows = shape[0]
  let cols = shape.dropFirst().reduce(1, *)
  let (m, n) = rows < cols ? (cols, rows) : (rows, cols)  // m ≥ n: orthonormalize n columns of length m
  var q = (0..<(m * n)).map { _ in rng.nextNormal() }  // column j at q[j*m ..< (j+1)*m]
  for j in 0..<n {
    // Modified Gram–Schmidt; the norm is diag(R), positive, so no sign flip is needed.
    for i in 0..<j {
      var d = 0.0
      for k in 0..<m { d += q[i * m + k] * q[j * m + k] }
      for k in 0..<m { q[j * m + k] -= d * q[i * m + k] }
    }
    var norm = 0.0
    for k in 0..<m { norm += q[j * m + k] * q[j * m + k] }
    norm = norm.squareRoot()
    for k in 0..<m { q[j * m + k] /= norm }
  }
  return Tensor(shape: shape) { out in
    for r in 0..<rows {
      for c in 0..<cols {
        // rows ≥ cols: element (r, c) is column c, entry r; otherwise the transpose.
        out[r * cols + c] = gain * Float(rows >= cols ? q[c * m + r] : q[r * m + c])
      }
    }
  }
}
