// Shared fixtures of the style tests: synthetic images, a small random feature network, Double references.

import Foundation
import Translation

enum StyleFixtures {
  /// A small random network (fewer maps) so that tests stay fast in release builds.
  static var network: RandomFeatureNetwork { RandomFeatureNetwork(channels: [16, 24, 32], contentLevel: 1) }

  /// "Content": a smooth blue-to-green gradient with a dark disc, (1, 3, size, size) in [−1, 1].
  static func content(size: Int = 48) -> Tensor {
    Tensor(shape: [1, 3, size, size]) { out in
      let plane = size * size
      for y in 0..<size {
        for x in 0..<size {
          let (u, v) = (Float(x) / Float(size), Float(y) / Float(size))
          let disc: Float = (u - 0.5) * (u - 0.5) + (v - 0.55) * (v - 0.55) < 0.04 ? -0.6 : 0
          out[y * size + x] = -0.6 + 0.3 * u + disc
          out[plane + y * size + x] = -0.2 + 0.6 * v + disc
          out[2 * plane + y * size + x] = 0.5 - 0.4 * v + disc
        }
      }
    }
  }

  /// "Style": warm diagonal stripes (orange/brown, period 6), (1, 3, size, size) in [−1, 1].
  static func style(size: Int = 48) -> Tensor {
    Tensor(shape: [1, 3, size, size]) { out in
      let plane = size * size
      for y in 0..<size {
        for x in 0..<size {
          let stripe = (x + y) % 6 < 3
          out[y * size + x] = stripe ? 0.6 : 0.2
          out[plane + y * size + x] = stripe ? 0.1 : -0.3
          out[2 * plane + y * size + x] = stripe ? -0.4 : -0.6
        }
      }
    }
  }

  static func channelMeans(_ t: Tensor) -> [Double] {
    let plane = t.shape[2] * t.shape[3]
    return (0..<3).map { c in (0..<plane).reduce(0.0) { $0 + Double(t[flat: c * plane + $1]) } / Double(plane) }
  }
}

/// Reference Gram matrix of a (1, C, H, W) tensor in Double: G[i][j] = Σ_p F[i,p]·F[j,p] / (C·H·W).
func referenceGram(_ t: Tensor) -> [[Double]] {
  let (c, plane) = (t.shape[1], t.shape[2] * t.shape[3])
  return (0..<c).map { i in
    (0..<c).map { j in
      (0..<plane).reduce(0.0) { $0 + Double(t[flat: i * plane + $1]) * Double(t[flat: j * plane + $1]) }
        / Double(c * plane)
    }
  }
}

/// Relative Frobenius distance ‖a − b‖ / ‖b‖ of two Gram matrices.
func gramDistance(_ a: [[Double]], _ b: [[Double]]) -> Double {
  var (num, den) = (0.0, 0.0)
  for i in a.indices {
    for j in a.indices {
      num += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j])
      den += b[i][j] * b[i][j]
    }
  }
  return (num / den).squareRoot()
}
