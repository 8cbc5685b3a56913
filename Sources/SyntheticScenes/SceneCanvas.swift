// The renderer's drawing surface: a Float RGB buffer at the supersampled resolution, a few painter's-
// algorithm primitives (rows, rectangles, soft ellipses, additive glows, a water mirror) and the box-filter
// reduction to an 8-bit `Image` (2×2 supersampling = anti-aliasing).

import ImageCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Float RGB pixels (row-major, interleaved) in pixel coordinates: pixel (i, j) covers [i, i+1) × [j, j+1).
struct SceneCanvas {
  let width: Int
  let height: Int
  private(set) var pixels: [Float]

  init(width: Int, height: Int) {
    precondition(width > 0 && height > 0, "SceneCanvas: \(width)×\(height)")
    self.width = width
    self.height = height
    pixels = [Float](repeating: 0, count: width * height * 3)
  }

  /// Rows `rows` painted with one colour per row.
  mutating func fillRows(_ rows: Range<Int>, color: (Int) -> SceneColor) {
    let (w, lo, hi) = (width, max(rows.lowerBound, 0), min(rows.upperBound, height))
    guard lo < hi else { return }
    pixels.withUnsafeMutableBufferPointer { p in
      for y in lo..<hi {
        let c = color(y)
        for x in 0..<w {
          let i = (y * w + x) * 3
          p[i] = c.red
          p[i + 1] = c.green
          p[i + 2] = c.blue
        }
      }
    }
  }

  /// The pixels whose centres lie in [x0, x1) × [y0, y1), blended over with `opacity`.
  mutating func fillRect(x0: Float, y0: Float, x1: Float, y1: Float, color: SceneColor, opacity: Float = 1) {
    let (xs, ys) = (Self.pixelSpan(x0, x1, limit: width), Self.pixelSpan(y0, y1, limit: height))
    guard !xs.isEmpty, !ys.isEmpty else { return }
    let w = width
    pixels.withUnsafeMutableBufferPointer { p in
      for y in ys {
        for x in xs { Self.blend(p, (y * w + x) * 3, color, opacity) }
      }
    }
  }

  /// Column x painted from `top[x]` down to `bottom`, darkening linearly by `shade` towards `bottom`.
  mutating func fillBelow(top: [Float], bottom: Float, color: SceneColor, shade: Float) {
    precondition(top.count == width, "fillBelow: \(top.count) tops for width \(width)")
    let (w, h) = (width, height)
    pixels.withUnsafeMutableBufferPointer { p in
      for x in 0..<w {
        let span = bottom - top[x]
        for y in Self.pixelSpan(top[x], bottom, limit: h) {
          let t = span > 0 ? (Float(y) + 0.5 - top[x]) / span : 0
          Self.blend(p, (y * w + x) * 3, color.scaled(1 - shade * t), 1)
        }
      }
    }
  }

  /// An ellipse blended over; its edge fades out over the outer `feather` share of the radius (0: hard).
  mutating func fillEllipse(
    cx: Float, cy: Float, rx: Float, ry: Float, color: SceneColor, opacity: Float,
    feather: Float = 0
  ) {
    guard rx > 0, ry > 0 else { return }
    let (xs, ys) = (Self.pixelSpan(cx - rx, cx + rx, limit: width), Self.pixelSpan(cy - ry, cy + ry, limit: height))
    let w = width
    let inner = 1 - feather
    pixels.withUnsafeMutableBufferPointer { p in
      for y in ys {
        let dy = (Float(y) + 0.5 - cy) / ry
        for x in xs {
          let dx = (Float(x) + 0.5 - cx) / rx
          let d = (dx * dx + dy * dy).squareRoot()
          guard d < 1 else { continue }
          let edge = feather > 0 && d > inner ? (1 - d) / feather : 1
          Self.blend(p, (y * w + x) * 3, color, opacity * edge)
        }
      }
    }
  }

  /// Adds light `color · intensity · exp(−(d / radius)²)` around (cx, cy) out to three radii; `squashY`
  /// > 1 flattens the glow vertically (a pool of light on the ground).
  mutating func addGlow(
    cx: Float, cy: Float, radius: Float, color: SceneColor, intensity: Float,
    squashY: Float = 1
  ) {
    guard radius > 0 else { return }
    let reach = Self.glowReach * radius
    let xs = Self.pixelSpan(cx - reach, cx + reach, limit: width)
    let ys = Self.pixelSpan(cy - reach / squashY, cy + reach / squashY, limit: height)
    let w = width
    let inverseSquare = 1 / (radius * radius)
    pixels.withUnsafeMutableBufferPointer { p in
      for y in ys {
        let dy = (Float(y) + 0.5 - cy) * squashY
        for x in xs {
          let dx = Float(x) + 0.5 - cx
          let g = intensity * exp(-(dx * dx + dy * dy) * inverseSquare)
          let i = (y * w + x) * 3
          p[i] += color.red * g
          p[i + 1] += color.green * g
          p[i + 2] += color.blue * g
        }
      }
    }
  }

  /// Rows from `top` down become the mirror image of the rows above `top`: row top + k shows row
  /// top − 1 − k shifted right by `shift(k)` pixels (fractional: linear interpolation), as
  /// `gain(k) · mirrored + tint(k)`.
  mutating func reflect(below top: Int, shift: (Int) -> Float, gain: (Int) -> Float, tint: (Int) -> SceneColor) {
    guard top > 0, top < height else { return }
    let w = width
    pixels.withUnsafeMutableBufferPointer { p in
      for y in top..<height {
        let k = y - top
        let row = max(top - 1 - k, 0) * w
        let (s, g, t) = (shift(k), gain(k), tint(k))
        let whole = Int(s.rounded(.down))
        let (b, a) = (s - Float(whole), 1 - (s - Float(whole)))  // weights of the left and right neighbours
        for x in 0..<w {
          let j0 = (row + min(max(x - whole - 1, 0), w - 1)) * 3
          let j1 = (row + min(max(x - whole, 0), w - 1)) * 3
          let i = (y * w + x) * 3
          p[i] = g * (b * p[j0] + a * p[j1]) + t.red
          p[i + 1] = g * (b * p[j0 + 1] + a * p[j1 + 1]) + t.green
          p[i + 2] = g * (b * p[j0 + 2] + a * p[j1 + 2]) + t.blue
        }
      }
    }
  }

  /// The canvas reduced by averaging `factor × factor` blocks, clamped to [0, 1] and rounded to 8 bits.
  func image(downsampledBy factor: Int) -> Image {
    precondition(factor >= 1 && width % factor == 0 && height % factor == 0, "image: factor \(factor)")
    let (ow, oh, w) = (width / factor, height / factor, width)
    let scale = 255 / Float(factor * factor)
    var samples = [UInt16](repeating: 0, count: ow * oh * 3)
    pixels.withUnsafeBufferPointer { p in
      samples.withUnsafeMutableBufferPointer { out in
        for oy in 0..<oh {
          for ox in 0..<ow {
            for c in 0..<3 {
              var sum: Float = 0
              for dy in 0..<factor {
                for dx in 0..<factor { sum += min(max(p[((oy * factor + dy) * w + ox * factor + dx) * 3 + c], 0), 1) }
              }
              out[(oy * ow + ox) * 3 + c] = UInt16((sum * scale).rounded())
            }
          }
        }
      }
    }
    return Image(width: ow, height: oh, channels: 3, bitDepth: 8, samples: samples)
  }

  /// Pixel indices whose centres lie in [a, b), clipped to 0..<limit.
  private static func pixelSpan(_ a: Float, _ b: Float, limit: Int) -> Range<Int> {
    guard a.isFinite, b.isFinite else { return 0..<0 }
    let lo = max(Int((a - 0.5).rounded(.up)), 0)
    let hi = min(Int((b - 0.5).rounded(.up)), limit)
    return lo < hi ? lo..<hi : 0..<0
  }

  @inline(__always) private static func blend(
    _ p: UnsafeMutableBufferPointer<Float>, _ i: Int, _ c: SceneColor,
    _ alpha: Float
  ) {
    p[i] += (c.red - p[i]) * alpha
    p[i + 1] += (c.green - p[i + 1]) * alpha
    p[i + 2] += (c.blue - p[i + 2]) * alpha
  }

  /// Glows stop at three radii, where exp(−9) ≈ 1e-4 is invisible in 8 bits.
  private static let glowReach: Float = 3
}
