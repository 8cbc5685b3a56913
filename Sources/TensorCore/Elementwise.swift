// Elementwise arithmetic and activations (PyTorch semantics), with per-channel broadcasting for (N, C, H, W)
// against (C). Simple 1-D loops over contiguous memory: the compiler vectorizes them (measured as fast as
// pointer loops; `map` closures are 8–9× slower).

import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
  /// A tensor of the same shape whose element i is `f(self[i])`.
  @inlinable public func map(_ f: (Float) -> Float) -> Tensor {
    Tensor(shape: shape) { out in
      let p = pointer
      for i in 0..<count { out[i] = f(p[i]) }
    }
  }

  /// Element i is `f(self[i], other[i])`; shapes must match.
  @inlinable public func zipWith(_ other: Tensor, _ op: String, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(shape == other.shape, "\(op): \(shape) vs \(other.shape)")
    return Tensor(shape: shape) { out in
      let a = pointer
      let b = other.pointer
      for i in 0..<count { out[i] = f(a[i], b[i]) }
    }
  }

  /// a + b, split over the compute threads (the residual sums of a generator are activation-sized).
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "add: \(a.shape) vs \(b.shape)")
    return Tensor(shape: a.shape) { out in
      let (x, y, sum) = (SendablePointer(a.pointer), SendablePointer(b.pointer), SendablePointer(out.baseAddress!))
      parallelFor(a.count, grain: elementwiseGrain) { range in
        for i in range { sum.base[i] = x.base[i] + y.base[i] }
      }
    }
  }
  /// a += b, split over the compute threads; same values as a + b.
  public static func += (a: inout Tensor, b: Tensor) {
    precondition(a.shape == b.shape, "add: \(a.shape) vs \(b.shape)")
    let y = SendablePointer(b.pointer)
    a.withUnsafeMutableBufferPointer { out in
      let sum = SendablePointer(out.baseAddress!)
      parallelFor(out.count, grain: elementwiseGrain) { range in
        for i in range { sum.base[i] = sum.base[i] + y.base[i] }
      }
    }
  }
  public static func - (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, "subtract") { $0 - $1 } }
  public static func * (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, "multiply") { $0 * $1 } }
  public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
  public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }

  /// self += other·scale, in place (gradient accumulation).
  public mutating func add(_ other: Tensor, scale: Float = 1) {
    precondition(shape == other.shape, "add: \(shape) vs \(other.shape)")
    let b = other.pointer
    withUnsafeMutableBufferPointer { a in for i in a.indices { a[i] += b[i] * scale } }
  }

  /// Sum of all elements (Double accumulation).
  public func sum() -> Float { TensorCore.sum(pointer, count: count) }
  /// Mean of all elements.
  public func mean() -> Float { Float(Double(sum()) / Double(Swift.max(count, 1))) }
}

// MARK: - Per-channel broadcasting: x (N, C, …) against v (C)

/// y[n, c, …] = x[n, c, …] + v[c]  (or · v[c] with `multiply`).
public func channelwise(_ x: Tensor, _ v: Tensor, multiply: Bool) -> Tensor {
  precondition(x.rank >= 2 && v.count == x.shape[1], "channelwise: \(x.shape) with \(v.shape)")
  let (n, c) = (x.shape[0], x.shape[1])
  let plane = x.count / Swift.max(n * c, 1)
  return Tensor(shape: x.shape) { y in
    for b in 0..<n {
      for ch in 0..<c {
        let o = (b * c + ch) * plane
        let s = v.pointer[ch]
        let src = x.pointer + o
        let dst = y.baseAddress! + o
        if multiply { for i in 0..<plane { dst[i] = src[i] * s } } else { for i in 0..<plane { dst[i] = src[i] + s } }
      }
    }
  }
}

/// Reduces (N, C, …) to (C) by summing everything but the channel axis; with `weight` (same shape as dy),
/// sums dy·weight. The backward of per-channel broadcasting.
public func channelSums(_ dy: Tensor, weight: Tensor? = nil) -> Tensor {
  let (n, c) = (dy.shape[0], dy.shape[1])
  let plane = dy.count / Swift.max(n * c, 1)
  return Tensor(shape: [c]) { out in
    for ch in 0..<c {
      var s = 0.0
      for b in 0..<n {
        let o = (b * c + ch) * plane
        if let weight {
          var block: Float = 0
          for i in 0..<plane { block += dy.pointer[o + i] * weight.pointer[o + i] }
          s += Double(block)
        } else {
          s += Double(sum(dy.pointer + o, count: plane))
        }
      }
      out[ch] = Float(s)
    }
  }
}

// MARK: - Activations: forward and backward pairs

/// Elements per chunk worth a thread for a one-pass elementwise loop (~20 µs of memory traffic).
let elementwiseGrain = 1 << 16

/// y = max(x, 0), split over the compute threads.
public func relu(_ x: Tensor) -> Tensor {
  Tensor(shape: x.shape) { out in
    let (source, destination) = (SendablePointer(x.pointer), SendablePointer(out.baseAddress!))
    parallelFor(x.count, grain: elementwiseGrain) { range in
      for i in range { destination.base[i] = source.base[i] > 0 ? source.base[i] : 0 }
    }
  }
}
/// dx = dy where x > 0 (PyTorch: the gradient at 0 is 0).
public func reluBackward(_ dy: Tensor, _ x: Tensor) -> Tensor { dy.zipWith(x, "reluBackward") { $1 > 0 ? $0 : 0 } }

/// y = x for x > 0, slope·x otherwise.
public func leakyRelu(_ x: Tensor, slope: Float) -> Tensor { x.map { $0 > 0 ? $0 : $0 * slope } }
public func leakyReluBackward(_ dy: Tensor, _ x: Tensor, slope: Float) -> Tensor {
  dy.zipWith(x, "leakyReluBackward") { $1 > 0 ? $0 : $0 * slope }
}

/// y = tanh(x): AVX2 lanes within 3 ulp (CKernels/activations.c), split over the compute threads.
public func tanh(_ x: Tensor) -> Tensor {
  Tensor(shape: x.shape) { out in
    let (source, destination) = (SendablePointer(x.pointer), SendablePointer(out.baseAddress!))
    parallelFor(x.count, grain: elementwiseGrain) { range in
      ck_tanh(source.base + range.lowerBound, destination.base + range.lowerBound, range.count)
    }
  }
}
/// dx = dy·(1 − y²), from the output y.
public func tanhBackward(_ dy: Tensor, _ y: Tensor) -> Tensor { dy.zipWith(y, "tanhBackward") { $0 * (1 - $1 * $1) } }

/// y = 1 / (1 + e^(−x)), evaluated without overflow for large |x|.
public func sigmoid(_ x: Tensor) -> Tensor { x.map(stableSigmoid) }
/// dx = dy·y·(1 − y), from the output y.
public func sigmoidBackward(_ dy: Tensor, _ y: Tensor) -> Tensor {
  dy.zipWith(y, "sigmoidBackward") { $0 * $1 * (1 - $1) }
}

@inlinable public func stableSigmoid(_ x: Float) -> Float {
  x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
}
