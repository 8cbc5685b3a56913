// Image statistics for the day/night tests: mean luma, warm-light fraction, sky colour, edge agreement.
import Foundation
import Translation

enum DayNightMetrics {
  /// Rec. 601 luma of pixel i in [0, 1].
  static func luma(_ image: Image, _ i: Int) -> Float {
    let s = image.samples
    return (0.299 * Float(s[3 * i]) + 0.587 * Float(s[3 * i + 1]) + 0.114 * Float(s[3 * i + 2])) / 255
  }

  static func meanLuma(_ image: Image) -> Float {
    (0..<image.pixelCount).reduce(0) { $0 + luma(image, $1) } / Float(image.pixelCount)
  }

  /// Share of pixels lit by warm artificial light: R > 180 and R > B + 60.
  static func warmFraction(_ image: Image) -> Float {
    let s = image.samples
    let warm = (0..<image.pixelCount).filter { i in s[3 * i] > 180 && Int(s[3 * i]) > Int(s[3 * i + 2]) + 60 }
    return Float(warm.count) / Float(image.pixelCount)
  }

  /// Mean (R, G, B) in [0, 1] of the top `share` of the rows.
  static func topRowsMean(_ image: Image, share: Float) -> (red: Float, green: Float, blue: Float) {
    let rows = max(Int(Float(image.height) * share), 1)
    var sum: (Float, Float, Float) = (0, 0, 0)
    for i in 0..<(rows * image.width) {
      sum.0 += Float(image.samples[3 * i]); sum.1 += Float(image.samples[3 * i + 1]); sum.2 += Float(image.samples[3 * i + 2])
    }
    let n = Float(rows * image.width) * 255
    return (sum.0 / n, sum.1 / n, sum.2 / n)
  }

  /// Pearson correlation of the gradient magnitudes of log-luma (insensitive to the global dimming from day
  /// to night): high when the two images have their edges in the same places.
  static func edgeCorrelation(_ a: Image, _ b: Image) -> Float {
    let (ga, gb) = (gradientMagnitudes(a), gradientMagnitudes(b))
    let n = Float(ga.count)
    let (ma, mb) = (ga.reduce(0, +) / n, gb.reduce(0, +) / n)
    var (sab, saa, sbb): (Float, Float, Float) = (0, 0, 0)
    for i in ga.indices {
      let (x, y) = (ga[i] - ma, gb[i] - mb)
      sab += x * y; saa += x * x; sbb += y * y
    }
    return sab / (saa * sbb).squareRoot()
  }

  static func gradientMagnitudes(_ image: Image) -> [Float] {
    let (w, h) = (image.width, image.height)
    let l = (0..<image.pixelCount).map { log(luma(image, $0) + logFloor) }
    var g: [Float] = []
    g.reserveCapacity((w - 1) * (h - 1))
    for y in 0..<(h - 1) {
      for x in 0..<(w - 1) {
        let (dx, dy) = (l[y * w + x + 1] - l[y * w + x], l[(y + 1) * w + x] - l[y * w + x])
        g.append((dx * dx + dy * dy).squareRoot())
      }
    }
    return g
  }

  /// Keeps log-luma finite and mutes the noise of near-black pixels.
  static let logFloor: Float = 0.03
}
