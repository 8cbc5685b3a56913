// Image: a width × height raster of 1–4 interleaved channels with 8- or 16-bit samples. It knows
// nothing of tensors; conversion to network inputs lives beside the networks.

/// Samples are stored as `[UInt16]` for both bit depths (8-bit values lie in 0...255): one storage type
/// keeps every operation generic-free, at the cost of 2 bytes per 8-bit sample.
/// Layout: `samples[(y * width + x) * channels + c]`, rows top to bottom, channels in order
/// gray | gray, alpha | R, G, B | R, G, B, A.
public struct Image: Equatable, Sendable {
  public let width: Int
  public let height: Int
  /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
  public let channels: Int
  /// 8 or 16.
  public let bitDepth: Int
  /// height × width × channels samples, see the type's doc.
  public var samples: [UInt16]

  public init(width: Int, height: Int, channels: Int, bitDepth: Int, samples: [UInt16]) {
    precondition(width > 0 && height > 0, "Image: size \(width)x\(height) must be positive")
    precondition((1...4).contains(channels), "Image: channels \(channels) not in 1...4")
    precondition(bitDepth == 8 || bitDepth == 16, "Image: bit depth \(bitDepth) is not 8 or 16")
    precondition(
      samples.count == width * height * channels,
      "Image: \(samples.count) samples for \(width)x\(height)x\(channels)")
    self.width = width
    self.height = height
    self.channels = channels
    self.bitDepth = bitDepth
    self.samples = samples
  }

  /// A black (all-zero) image.
  public init(width: Int, height: Int, channels: Int, bitDepth: Int = 8) {
    self.init(
      width: width, height: height, channels: channels, bitDepth: bitDepth,
      samples: [UInt16](repeating: 0, count: max(0, width * height * channels)))
  }

  /// The largest sample value: 255 or 65535.
  public var maxSample: Int { bitDepth == 8 ? 255 : 65535 }

  /// True for gray+alpha and RGBA.
  public var hasAlpha: Bool { channels == 2 || channels == 4 }

  /// Width × height.
  public var pixelCount: Int { width * height }

  /// The sample at column x, row y, channel c.
  public subscript(x: Int, y: Int, c: Int) -> UInt16 {
    get { samples[(y * width + x) * channels + c] }
    set { samples[(y * width + x) * channels + c] = newValue }
  }

  /// The same picture with `bitDepth` 8 or 16: 8 → 16 multiplies by 257 (exact inverse of the
  /// rounding 16 → 8, v8 = (v16 · 255 + 32767) / 65535).
  public func converted(toBitDepth depth: Int) -> Image {
    precondition(depth == 8 || depth == 16, "converted(toBitDepth:): \(depth) is not 8 or 16")
    if depth == bitDepth { return self }
    let out: [UInt16] =
      depth == 16
      ? samples.map { $0 &* 257 }
      : samples.map { UInt16((UInt32($0) * 255 + 32767) / 65535) }
    return Image(width: width, height: height, channels: channels, bitDepth: depth, samples: out)
  }

  /// The colour channels only (gray+alpha → gray, RGBA → RGB); alpha is dropped, not composited.
  public func droppingAlpha() -> Image {
    guard hasAlpha else { return self }
    let keep = channels - 1
    var out = [UInt16](repeating: 0, count: pixelCount * keep)
    samples.withUnsafeBufferPointer { src in
      for p in 0..<pixelCount {
        for c in 0..<keep { out[p * keep + c] = src[p * channels + c] }
      }
    }
    return Image(width: width, height: height, channels: keep, bitDepth: bitDepth, samples: out)
  }
}
