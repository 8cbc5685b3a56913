// Image quality against a reference: PSNR, and SSIM as Wang et al. 2004 (11×11 Gaussian window, σ 1.5,
// K1 0.01, K2 0.03, population statistics, mean over the window-valid area and over channels — the
// settings of scikit-image's `structural_similarity(gaussian_weights=True)`).

import Foundation

public enum ImageMetrics {
  /// 10·log10(MAX² / MSE) over every sample, in dB (∞ for identical images).
  public static func psnr(_ a: Image, _ b: Image) -> Double {
    precondition(a.width == b.width && a.height == b.height && a.channels == b.channels, "psnr: images differ in shape")
    var mse = 0.0
    for i in a.samples.indices {
      let d = Double(a.samples[i]) - Double(b.samples[i])
      mse += d * d
    }
    mse /= Double(a.samples.count)
    let peak = Double(a.maxSample)
    return mse == 0 ? .infinity : 10 * log10(peak * peak / mse)
  }

  /// Mean structural similarity in [−1, 1] (1 for identical images).
  public static func ssim(_ a: Image, _ b: Image) -> Double {
    precondition(a.width == b.width && a.height == b.height && a.channels == b.channels, "ssim: images differ in shape")
    let peak = Double(a.maxSample)
    let (c1, c2) = ((0.01 * peak) * (0.01 * peak), (0.03 * peak) * (0.03 * peak))
    let radius = 5
    let window = gaussianWindow(radius: radius, sigma: 1.5)
    let (w, h) = (a.width, a.height)
    guard w > 2 * radius, h > 2 * radius else { return psnr(a, b).isInfinite ? 1 : 0 }
    var total = 0.0
    for c in 0..<a.channels {
      let x = plane(a, c)
      let y = plane(b, c)
      // Separable weighted means of x, y, x², y², xy.
      let maps = [x, y, zip(x, x).map(*), zip(y, y).map(*), zip(x, y).map(*)].map { blur($0, w, h, window) }
      var sum = 0.0
      for r in radius..<(h - radius) {
        for k in radius..<(w - radius) {
          let i = r * w + k
          let (mx, my) = (maps[0][i], maps[1][i])
          let vx = maps[2][i] - mx * mx
          let vy = maps[3][i] - my * my
          let cov = maps[4][i] - mx * my
          sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        }
      }
      total += sum / Double((h - 2 * radius) * (w - 2 * radius))
    }
    return total / Double(a.channels)
  }

  static func plane(_ image: Image, _ c: Int) -> [Double] {
    (0..<image.pixelCount).map { Double(image.samples[$0 * image.channels + c]) }
  }

  static func gaussianWindow(radius: Int, sigma: Double) -> [Double] {
    let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
    let s = raw.reduce(0, +)
    return raw.map { $0 / s }
  }

  /// Weighted window mean at every position whose window lies inside the image (others left 0).
  static func blur(_ v: [Double], _ w: Int, _ h: Int, _ g: [Double]) -> [Double] {
    let r = g.count / 2
    var rows = [Double](repeating: 0, count: v.count)
    var out = rows
    for y in 0..<h {
      for x in r..<(w - r) {
        var s = 0.0
        for k in -r...r { s += g[k + r] * v[y * w + x + k] }
        rows[y * w + x] = s
      }
    }
    for y in r..<(h - r) {
      for x in r..<(w - r) {
        var s = 0.0
        for k in -r...r { s += g[k + r] * rows[(y + k) * w + x] }
        out[y * w + x] = s
      }
    }
    return out
  }
}
