// What the engine tests share: seeded random tensors and difference measures.

import TensorCore

public func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
  var rng = SeededGenerator(seed: seed)
  return Tensor.uniform(shape, low: low, high: high, using: &rng)
}

public func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
  precondition(a.shape == b.shape, "maxAbsDifference: \(a.shape) vs \(b.shape)")
  var m: Float = 0
  for i in 0..<a.count { m = max(m, abs(a[flat: i] - b[flat: i])) }
  return m
}

public func maxAbs(_ a: Tensor) -> Float { a.scalars.reduce(0) { max($0, abs($1)) } }

/// ⟨a, b⟩ in Double.
public func dot(_ a: Tensor, _ b: Tensor) -> Double {
  precondition(a.count == b.count)
  var s = 0.0
  for i in 0..<a.count { s += Double(a[flat: i]) * Double(b[flat: i]) }
  return s
}
