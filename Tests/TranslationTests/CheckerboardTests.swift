// The checkerboard index against numpy (scripts/make_checkerboard_reference.py) and against a naive 2-D DFT
// of the whole spectrum; near 1 for noise, large for the periodic patterns transposed convolutions leave.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct CheckerboardTests {
  /// A grey image from per-pixel values in sample units (clamped, rounded), as RGB.
  static func image(width: Int, height: Int, _ value: (Int, Int) -> Double) -> Image {
    var s: [UInt16] = []
    for y in 0..<height {
      for x in 0..<width { s += Array(repeating: UInt16(min(max(value(x, y).rounded(), 0), 255)), count: 3) }
    }
    return Image(width: width, height: height, channels: 3, bitDepth: 8, samples: s)
  }

  /// Grey 128 plus uniform noise in ±`noise` plus `bump` on one pixel of every period × period cell.
  static func noisyImage(size: Int, noise: Float, bump: Double = 0, period: Int = 4, seed: UInt64) -> Image {
    let n = randomTensor([size * size], seed: seed, low: -noise, high: noise)
    return image(width: size, height: size) { x, y in
      128 + Double(n[flat: y * size + x]) + (x % period == 0 && y % period == 0 ? bump : 0)
    }
  }

  @Test func matchesTheNumpyReference() {
    // scripts/make_checkerboard_reference.py's 22 × 19 image (cropped to 20 × 16), rebuilt from its formulas.
    let (w, h) = (22, 19)
    var s: [UInt16] = []
    for y in 0..<h {
      for x in 0..<w {
        let tile = (x % 4) * 3 + (y % 4) * 5
        s += [x * 11 + y * 7 + tile, x * x + 3 * y, x * y * 5 + 13 + tile].map { UInt16($0 % 256) }
      }
    }
    let index = checkerboardIndex(Image(width: w, height: h, channels: 3, bitDepth: 8, samples: s))
    #expect(abs(index - 2.777678868758635) < 1e-9, "\(index)")
  }

  @Test func matchesANaiveDFTOfTheWholeSpectrum() {
    let image = Self.noisyImage(size: 16, noise: 20, bump: 12, period: 2, seed: 5)
    #expect(abs(checkerboardIndex(image) - Self.naiveIndex(image)) < 1e-9 * Self.naiveIndex(image))
  }

  @Test func noiseScoresAboutOne() {
    // White noise: each ratio is an exponential variable over its neighbours' median, geometric mean ≈ 0.8.
    let index = checkerboardIndex(Self.noisyImage(size: 128, noise: 8, seed: 1))
    #expect(index > 0.3 && index < 2, "\(index)")
  }

  @Test func periodicPatternsScoreHigh() {
    // +8 levels on every 4th pixel of every 4th row: all 15 grid frequencies light up (≈ 300).
    let period4 = checkerboardIndex(Self.noisyImage(size: 128, noise: 8, bump: 8, period: 4, seed: 2))
    #expect(period4 > 50, "\(period4)")
    // Every 2nd pixel of every 2nd row lights 3 of the 15 (W/2, H/2 and both), so the index grows only as the
    // fifth root of their ratio: it takes a stronger pattern on a quieter background (≈ 9.5).
    let period2 = checkerboardIndex(Self.noisyImage(size: 128, noise: 1, bump: 32, period: 2, seed: 3))
    #expect(period2 > 7, "\(period2)")
    // Odd sizes are cropped to multiples of 4.
    let cropped = checkerboardIndex(Self.noisyImage(size: 131, noise: 8, bump: 8, period: 4, seed: 2))
    #expect(cropped > 50, "\(cropped)")
  }

  @Test func flatAndTinyImages() {
    #expect(checkerboardIndex(Self.image(width: 32, height: 32) { _, _ in 90 }) == 1)
    #expect(checkerboardIndex(Self.image(width: 7, height: 32) { x, _ in Double(x) }).isNaN)
  }

  /// The definition, written out: the full power spectrum by an O(N⁴) DFT, then the 15 ratios.
  static func naiveIndex(_ image: Image) -> Double {
    let (h, w) = (image.height / 4 * 4, image.width / 4 * 4)
    var l = [Double](repeating: 0, count: h * w)
    for y in 0..<h {
      for x in 0..<w {
        l[y * w + x] =
          (0.299 * Double(image[x, y, 0]) + 0.587 * Double(image[x, y, 1])
            + 0.114 * Double(image[x, y, 2])) / 255
      }
    }
    let mean = l.reduce(0, +) / Double(l.count)
    l = l.map { $0 - mean }
    var power = [Double](repeating: 0, count: h * w)
    for u in 0..<h {
      for v in 0..<w {
        var (re, im) = (0.0, 0.0)
        for y in 0..<h {
          for x in 0..<w {
            let angle = -2 * Double.pi * (Double(u * y) / Double(h) + Double(v * x) / Double(w))
            re += l[y * w + x] * cos(angle)
            im += l[y * w + x] * sin(angle)
          }
        }
        power[u * w + v] = re * re + im * im
      }
    }
    let floor = 1e-12 * l.reduce(0) { $0 + $1 * $1 } + Double.leastNormalMagnitude
    var logs: [Double] = []
    for i in 0..<4 {
      for j in 0..<4 where i + j > 0 {
        let (u, v) = (h / 4 * i, w / 4 * j)
        var around: [Double] = []
        for du in -3...3 {
          for dv in -3...3 where du != 0 || dv != 0 { around.append(power[((u + du + h) % h) * w + (v + dv + w) % w]) }
        }
        around.sort()
        logs.append(log((power[u * w + v] + floor) / ((around[23] + around[24]) / 2 + floor)))
      }
    }
    return exp(logs.reduce(0, +) / 15)
  }
}
