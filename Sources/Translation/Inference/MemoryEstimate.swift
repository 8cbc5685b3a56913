// Memory sizes ("512M", "2G") and the estimate of what one inference forward pass needs, calibrated on
// measured peak resident memory (see `forwardBytes`), so that `--max-memory` can decide when to tile.

import Foundation

/// A number of bytes, parsed from the command line with binary units: "512M", "2G", "1.5GiB", "800000000".
public struct ByteCount: Sendable, Equatable, Comparable, CustomStringConvertible {
  public let bytes: Int
  public init(bytes: Int) { self.bytes = bytes }

  /// The default `--max-memory`: 2 GiB, enough for a 6000×4000 photo through the ResNet-9 ngf64 generator
  /// in tiles, and half the memory of a small laptop.
  public static let defaultBudget = ByteCount(bytes: 2 << 30)

  /// Parses a positive size: a number (fractions allowed) and an optional unit K, M, G or T (powers of 1024),
  /// optionally followed by "B" or "iB", any case. Plain numbers are bytes.
  public init?(parsing text: String) {
    var s = text.trimmingCharacters(in: .whitespaces).uppercased()
    for suffix in ["IB", "B"] where s.hasSuffix(suffix) && s.count > suffix.count {
      s.removeLast(suffix.count)
      break
    }
    let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
    var scale = 1.0
    if let last = s.last, let unit = units[last] {
      scale = unit
      s.removeLast()
    }
    guard let value = Double(s), value > 0, value.isFinite, value * scale < Double(Int.max) / 2 else { return nil }
    bytes = Int(value * scale)
  }

  public var description: String {
    let mib = Double(bytes) / Double(1 << 20)
    return mib >= 1024 ? "\(rounded(mib / 1024)) GiB" : "\(rounded(mib)) MiB"
  }
  private func rounded(_ v: Double) -> String {
    v == v.rounded() ? "\(Int(v))" : "\((v * 10).rounded() / 10)"
  }
  public static func < (a: ByteCount, b: ByteCount) -> Bool { a.bytes < b.bytes }
}

extension GeneratorArchitecture {
  /// Estimated peak bytes of one inference forward pass on a `width` × `height` input (already padded),
  /// weights included. The activations that dominate are those at full resolution: a ResNet holds two
  /// `baseFilters`-channel tensors there at once (a layer's input and output). Measured peak RSS of
  /// `translate` (ResNet-9 ngf64, one image, untiled, /usr/bin/time -v): 173 MB at 256², 425 MB at 512²,
  /// 686 MB at 1024², 1363 MB at 1536²; beyond 512², where the kernels' scratch pool (≤ 4 × 64 MB) is full,
  /// each pixel adds 517 bytes ≈ 2 · 64 floats + the image buffers. The estimate takes 2.25 · baseFilters
  /// floats per pixel plus the input and output planes, and 200 MB for the runtime and scratch pool.
  /// The U-Net figure (skip connections, the last transposed convolution's columns) is computed, not measured.
  /// The measurements were taken with 64 MB column tiles; tiles are now 8 MB (ColumnTiling), so the scratch
  /// pool holds at most 32 MB and the estimate errs on the safe side by up to ~220 MB.
  public func forwardBytes(width: Int, height: Int) -> Int {
    let pixels = Double(width) * Double(height)
    let floatsPerPixel: Double
    switch self {
    case .resnet(let i, let o, let f, _, _, _, _, let upsampling):
      // Resize-convolution holds each upsampled input (4f channels at H/2, then 2f at H: up to 2f floats per
      // pixel) beside the layers' outputs: 3f more, computed, not measured.
      // The colour transform has no decoder, and its head runs in one pass with no full-resolution coefficients:
      // the peak is the first layer's, f-channel tensors at full resolution. Measured peak RSS of the whole
      // process with the bundled model (ngf 16, untiled): 605 MB at 4 MP, 1746 MB at 12 MP, 3458 MB at 24 MP;
      // with the image buffers counted apart (imageBytesPerPixel), that is ≤ 23.4 floats a pixel for the network,
      // against 1.75f = 28 here (the whole estimate 13–17% above the measured peaks).
      switch upsampling {
      case .transposed: floatsPerPixel = 2.25 * Double(f) + Double(i + o) * 3
      case .resizeConvolution, .bilinearResizeConvolution: floatsPerPixel = 5.25 * Double(f) + Double(i + o) * 3
      case .colourTransform: floatsPerPixel = 1.75 * Double(f)
      }
    case .unet(let i, let o, let f, _, _, _): floatsPerPixel = 1.5 * Double(f) + Double(i) * 3 + Double(o) * 10
    }
    return Int(pixels * floatsPerPixel * 4) + Self.fixedForwardBytes + parameterBytes
  }

  /// Runtime, kernels' scratch pool and code: the measured constant (≈ 145 MB) rounded up.
  static let fixedForwardBytes = 200 << 20

  /// Bytes of the weights (Float32), from the architecture's layer widths.
  public var parameterBytes: Int {
    switch self {
    case .resnet(let i, let o, let f, let blocks, _, _, _, _):
      let outer = (i + o) * f * 49
      let sampling = 9 * (f * 2 * f + 2 * f * 4 * f) * 2
      return 4 * (outer + sampling + blocks * 2 * 9 * 16 * f * f)
    case .unet(let i, let o, let f, let downs, _, _):
      // Down and up 4×4 convolutions per level, widths f·min(2^level, 8).
      var total = 16 * (i * f + 2 * f * o)
      for level in 1..<max(downs, 1) {
        let a = f * min(1 << (level - 1), 8)
        let b = f * min(1 << level, 8)
        total += 16 * (a * b + 2 * b * a)
      }
      return 4 * total
    }
  }

  /// Bytes per pixel the translation of one image holds outside the network: the decoded input and its
  /// padded colour copy (UInt16), the blended output (Float32, with a weight plane) and the output image.
  public var imageBytesPerPixel: Int { 2 * 4 + 2 * inChannels + 4 * (outChannels + 1) + 2 * 2 * outChannels }

  /// The smallest side the network accepts: reflection padding must be narrower than the feature map
  /// (ResNet: 1 pixel at quarter size, so 8); a U-Net needs one pixel at its innermost level.
  public var minimumSide: Int {
    switch self {
    case .resnet: 8
    case .unet: sizeMultiple
    }
  }
}
