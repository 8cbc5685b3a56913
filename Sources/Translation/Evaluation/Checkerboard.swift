// The checkerboard index: how much a translation's spectrum peaks on the 4-pixel grid that transposed
// convolutions with stride 2 (twice, as in the ResNet generator) imprint (Odena et al. 2016, "Deconvolution and
// Checkerboard Artifacts"). Each grid frequency's power is divided by the median power around it.

import Foundation

/// The geometric mean, over the 15 frequencies (H/4·i, W/4·j), i, j ∈ 0…3 not both 0, of the power there divided
/// by the median power of its 7×7 neighbourhood (centre excluded, wrapping around the spectrum's edges), of the
/// image's Rec. 601 luminance cropped to multiples of 4 (top-left part) with its mean removed.
///
/// About 0.8 for white noise (the expected log of an exponential variable over its median) and near 1 for
/// natural images; a 4×4-periodic pattern lifts all 15 ratios, a 2×2-periodic one three of them. NaN for images
/// under 8×8 pixels, whose neighbourhoods would overlap the other grid frequencies. Only the 28 rows and 28
/// columns of the spectrum the neighbourhoods need are computed, by separable DFTs: O(28·H·W).
public func checkerboardIndex(_ image: Image) -> Double {
  let (h, w) = (image.height / 4 * 4, image.width / 4 * 4)
  guard h >= 8, w >= 8 else { return .nan }
  let luminance = CheckerboardSpectrum.luminance(image, height: h, width: w)
  let rows = CheckerboardSpectrum.neighbourhoodFrequencies(h)
  let columns = CheckerboardSpectrum.neighbourhoodFrequencies(w)
  let power = CheckerboardSpectrum.power(luminance, height: h, width: w, rows: rows, columns: columns)
  let row = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
  let column = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
  // A floor far below any real power, so that a flat image gives ratios of 1 rather than 0/0.
  let floor = 1e-12 * luminance.reduce(0) { $0 + $1 * $1 } + Double.leastNormalMagnitude
  var logSum = 0.0
  for i in 0..<4 {
    for j in 0..<4 where i != 0 || j != 0 {
      let (u, v) = (h / 4 * i, w / 4 * j)
      var neighbours: [Double] = []
      for du in -3...3 {
        for dv in -3...3 where du != 0 || dv != 0 {
          neighbours.append(power[row[(u + du + h) % h]! * columns.count + column[(v + dv + w) % w]!])
        }
      }
      neighbours.sort()
      let median = (neighbours[23] + neighbours[24]) / 2
      logSum += log((power[row[u]! * columns.count + column[v]!] + floor) / (median + floor))
    }
  }
  return exp(logSum / 15)
}

enum CheckerboardSpectrum {
  /// 0.299 R + 0.587 G + 0.114 B in [0, 1] (the first channel for grey images) of the top-left height × width
  /// pixels, mean removed, row-major.
  static func luminance(_ image: Image, height h: Int, width w: Int) -> [Double] {
    let c = image.channels
    let scale = 1 / Double(image.maxSample)
    var y = [Double](repeating: 0, count: h * w)
    for r in 0..<h {
      for x in 0..<w {
        let p = (r * image.width + x) * c
        let s = image.samples
        y[r * w + x] =
          c >= 3
          ? (0.299 * Double(s[p]) + 0.587 * Double(s[p + 1]) + 0.114 * Double(s[p + 2])) * scale
          : Double(s[p]) * scale
      }
    }
    let mean = y.reduce(0, +) / Double(y.count)
    return y.map { $0 - mean }
  }

  /// The distinct frequencies within 3 of a multiple of n/4, modulo n, ascending.
  static func neighbourhoodFrequencies(_ n: Int) -> [Int] {
    Array(Set((0..<4).flatMap { i in (-3...3).map { (n / 4 * i + $0 + n) % n } })).sorted()
  }

  /// |Σ_y Σ_x l[y, x] e^{−2πi(u·y/h + v·x/w)}|² for u in `rows`, v in `columns`, l: (h, w) row-major →
  /// (rows.count, columns.count) row-major. First each image row against the wanted column frequencies, then those
  /// results against the wanted row frequencies.
  static func power(_ l: [Double], height h: Int, width w: Int, rows: [Int], columns: [Int]) -> [Double] {
    let (cosW, sinW) = twiddles(w)
    let (cosH, sinH) = twiddles(h)
    let nv = columns.count
    // Along x: (h, nv) complex.
    var re = [Double](repeating: 0, count: h * nv)
    var im = re
    for y in 0..<h {
      for (k, v) in columns.enumerated() {
        var (sr, si) = (0.0, 0.0)
        var phase = 0
        for x in 0..<w {
          let value = l[y * w + x]
          sr += value * cosW[phase]
          si -= value * sinW[phase]
          phase += v
          if phase >= w { phase -= w }
        }
        re[y * nv + k] = sr
        im[y * nv + k] = si
      }
    }
    // Along y: (rows.count, nv) power.
    var power = [Double](repeating: 0, count: rows.count * nv)
    for (r, u) in rows.enumerated() {
      for k in 0..<nv {
        var (sr, si) = (0.0, 0.0)
        var phase = 0
        for y in 0..<h {
          let (a, b, c, s) = (re[y * nv + k], im[y * nv + k], cosH[phase], sinH[phase])
          sr += a * c + b * s  // (a + ib)·(c − is)
          si += b * c - a * s
          phase += u
          if phase >= h { phase -= h }
        }
        power[r * nv + k] = sr * sr + si * si
      }
    }
    return power
  }

  /// cos and sin of 2πk/n for k in 0..<n.
  static func twiddles(_ n: Int) -> ([Double], [Double]) {
    let angles = (0..<n).map { 2 * Double.pi * Double($0) / Double(n) }
    return (angles.map(cos), angles.map(sin))
  }
}
