// Separable resampling: bicubic exactly as Pillow's Image.resize(BICUBIC) (Keys cubic a = −0.5, support
// widened by the downscale factor for antialiasing, horizontal pass then vertical, each rounded to the
// bit depth as Pillow's 8-bit path does) and area (box average over the exact source footprint).

/// How `Image.resized` computes each output sample.
public enum ResizeFilter: Sendable {
  /// Pillow's BICUBIC (libImaging/Resample.c); matches it within ±1 on 8-bit images.
  case bicubic
  /// Average of the source area each output pixel covers (fractional edges weighted); for downscaling.
  case area
}

/// Per-output-position source window and normalized weights along one axis.
struct ResampleWeights {
  var starts: [Int] = []
  var counts: [Int] = []
  /// Window size: weights of output i are `weights[i * window ..< i * window + counts[i]]`.
  var window = 0
  var weights: [Double] = []

  /// Pillow's precompute_coeffs for the bicubic filter (support 2), or box footprints for area.
  init(inSize: Int, outSize: Int, filter: ResizeFilter) {
    let scale = Double(inSize) / Double(outSize)
    let filterScale = max(scale, 1)
    let support = filter == .bicubic ? 2 * filterScale : scale / 2 + 1
    window = Int(support.rounded(.up)) * 2 + 1
    weights = [Double](repeating: 0, count: outSize * window)
    for i in 0..<outSize {
      let center = (Double(i) + 0.5) * scale
      let lo = max(0, Int(center - support + 0.5))
      let hi = min(inSize, Int(center + support + 0.5))
      var total = 0.0
      for j in lo..<max(lo, hi) {
        let w: Double
        switch filter {
        case .bicubic: w = Self.bicubic((Double(j) - center + 0.5) / filterScale)
        case .area:
          let from = Double(i) * scale
          let to = Double(i + 1) * scale
          w = max(0, min(to, Double(j + 1)) - max(from, Double(j)))
        }
        weights[i * window + j - lo] = w
        total += w
      }
      if total != 0 { for k in 0..<(hi - lo) { weights[i * window + k] /= total } }
      starts.append(lo)
      counts.append(max(0, hi - lo))
    }
  }

  /// Keys' cubic convolution kernel with a = −0.5 (Pillow's bicubic_filter).
  static func bicubic(_ t: Double) -> Double {
    let a = -0.5
    let x = abs(t)
    if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
    if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
    return 0
  }
}

extension Image {
  /// The image resampled to `width` × `height` (channels and bit depth kept; alpha filtered like colour).
  public func resized(width newWidth: Int, height newHeight: Int, filter: ResizeFilter = .bicubic) -> Image {
    precondition(newWidth > 0 && newHeight > 0, "resized: size \(newWidth)x\(newHeight) must be positive")
    var current = self
    if newWidth != width {
      current = current.resamplePass(
        horizontal: true,
        ResampleWeights(inSize: width, outSize: newWidth, filter: filter))
    }
    if newHeight != height {
      current = current.resamplePass(
        horizontal: false,
        ResampleWeights(inSize: height, outSize: newHeight, filter: filter))
    }
    return current
  }

  /// One axis of the resampling; each output sample is rounded half up and clamped to the bit depth.
  func resamplePass(horizontal: Bool, _ w: ResampleWeights) -> Image {
    let outCount = w.starts.count
    let (outWidth, outHeight) = horizontal ? (outCount, height) : (width, outCount)
    let c = channels
    let top = Double(maxSample)
    let srcWidth = width
    var out = [UInt16](repeating: 0, count: outWidth * outHeight * c)
    samples.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        w.weights.withUnsafeBufferPointer { weights in
          for y in 0..<outHeight {
            for x in 0..<outWidth {
              let i = horizontal ? x : y
              let base = i * w.window
              for ch in 0..<c {
                var sum = 0.0
                for k in 0..<w.counts[i] {
                  let j = w.starts[i] + k
                  let index = horizontal ? (y * srcWidth + j) * c + ch : (j * srcWidth + x) * c + ch
                  sum += weights[base + k] * Double(src[index])
                }
                dst[(y * outWidth + x) * c + ch] = UInt16(min(top, max(0, (sum + 0.5).rounded(.down))))
              }
            }
          }
        }
      }
    }
    return Image(width: outWidth, height: outHeight, channels: c, bitDepth: bitDepth, samples: out)
  }
}
