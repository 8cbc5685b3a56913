// Seeded random numbers: xoshiro256** (Blackman & Vigna) seeded through SplitMix64, plus normal and uniform
// tensors. Every random choice in the product takes an explicit generator so that runs are reproducible.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64's increment (2⁶⁴ / φ).
public let splitMixGamma: UInt64 = 0x9E37_79B9_7F4A_7C15

/// SplitMix64's finalizer (Steele, Lea & Flood 2014): a bijection that spreads nearby values over all 64 bits.
@inlinable public func splitMixFinalize(_ x: UInt64) -> UInt64 {
  var z = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

/// A small, fast, seedable generator whose whole state can be saved and restored (checkpoints).
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= splitMixGamma
      return splitMixFinalize(sm)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// Restores a state previously read from `state`.
  public init(state: (UInt64, UInt64, UInt64, UInt64)) {
    precondition(state != (0, 0, 0, 0), "SeededGenerator: the all-zero state is invalid")
    self.state = state
  }

  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool { a.state == b.state }
}

extension RandomNumberGenerator {
  /// Uniform in [0, 1) with 24 random bits (every Float in the grid is exactly representable).
  @inlinable public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Standard normal by the Box–Muller transform, computed in Double.
  @inlinable public mutating func nextNormal() -> Double {
    // u1 in (0, 1] so that log(u1) is finite.
    let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

extension Tensor {
  /// Elements drawn from N(mean, std²).
  public static func normal(
    _ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout some RandomNumberGenerator
  ) -> Tensor {
    Tensor(shape: shape) { out in
      for i in out.indices { out[i] = mean + std * Float(rng.nextNormal()) }
    }
  }

  /// Elements drawn uniformly from [low, high).
  public static func uniform(
    _ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout some RandomNumberGenerator
  ) -> Tensor {
    Tensor(shape: shape) { out in
      for i in out.indices { out[i] = low + (high - low) * rng.nextUnitFloat() }
    }
  }
}

/// Dropout mask: 0 with probability p, else 1/(1 − p) (inverted dropout, as PyTorch in training mode).
public func dropoutMask(_ shape: [Int], probability p: Float, using rng: inout some RandomNumberGenerator) -> Tensor {
  precondition(p >= 0 && p < 1, "dropout: probability \(p) outside [0, 1)")
  let keep = 1 / (1 - p)
  return Tensor(shape: shape) { m in
    for i in m.indices { m[i] = rng.nextUnitFloat() < p ? 0 : keep }
  }
}
