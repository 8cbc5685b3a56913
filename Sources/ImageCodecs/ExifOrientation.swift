// EXIF orientation: the Orientation tag (0x0112, values 1–8, EXIF 2.32 §4.6.4) read from a TIFF-structured
// EXIF block by a small bounds-checked parser, and applied to pixels (as PIL's ImageOps.exif_transpose).

/// What must be done to the stored pixels to show them upright (named after the correction).
public enum ExifOrientation: Int, Sendable, Codable, CaseIterable {
  case identity = 1
  case flipHorizontal = 2
  case rotate180 = 3
  case flipVertical = 4
  /// Mirror across the main diagonal (width and height swap).
  case transpose = 5
  /// Rotate 90° clockwise (width and height swap).
  case rotate90Clockwise = 6
  /// Mirror across the anti-diagonal (width and height swap).
  case transverse = 7
  /// Rotate 90° counter-clockwise (width and height swap).
  case rotate90CounterClockwise = 8

  /// The orientation stored in a TIFF-structured EXIF block (starting with "II*\0" or "MM\0*").
  /// Missing, malformed or out-of-range values (0 is common) give `.identity`.
  public init(exif bytes: [UInt8]) {
    self = ExifOrientation(rawValue: ExifTIFF.orientationTag(in: bytes) ?? 1) ?? .identity
  }

  /// True when the corrected image has width and height swapped.
  public var swapsAxes: Bool { rawValue >= 5 }
}

/// Reads IFD0 of a TIFF structure; every read is bounds-checked and returns nil when out of range.
enum ExifTIFF {
  static let orientationTag = 0x0112
  static let typeShort = 3

  /// The raw Orientation value of IFD0, or nil when there is none or the block is malformed.
  static func orientationTag(in bytes: [UInt8]) -> Int? {
    guard bytes.count >= 8 else { return nil }
    let bigEndian: Bool
    switch (bytes[0], bytes[1]) {
    case (0x49, 0x49): bigEndian = false
    case (0x4D, 0x4D): bigEndian = true
    default: return nil
    }
    let reader = Reader(bytes: bytes, bigEndian: bigEndian)
    guard reader.u16(2) == 42, let ifd = reader.u32(4), let count = reader.u16(ifd) else { return nil }
    for i in 0..<count {
      let entry = ifd + 2 + 12 * i
      guard let tag = reader.u16(entry) else { return nil }
      guard tag == orientationTag else { continue }
      guard reader.u16(entry + 2) == typeShort, let n = reader.u32(entry + 4), n >= 1 else { return nil }
      return reader.u16(entry + 8)
    }
    return nil
  }

  struct Reader {
    let bytes: [UInt8]
    let bigEndian: Bool

    func u16(_ offset: Int) -> Int? {
      guard offset >= 0, offset <= bytes.count - 2 else { return nil }
      let a = Int(bytes[offset])
      let b = Int(bytes[offset + 1])
      return bigEndian ? a << 8 | b : b << 8 | a
    }

    func u32(_ offset: Int) -> Int? {
      guard let first = u16(offset), let second = u16(offset + 2) else { return nil }
      return bigEndian ? first << 16 | second : second << 16 | first
    }
  }
}

extension Image {
  /// The image corrected by `orientation` (`.identity` returns self). Orientations 5–8 swap width and
  /// height.
  public func oriented(_ orientation: ExifOrientation) -> Image {
    if orientation == .identity { return self }
    let (w, h) = (width, height)
    let (outWidth, outHeight) = orientation.swapsAxes ? (h, w) : (w, h)
    // Source column and row as affine functions of the output (x, y): sx = ax·x + bx·y + cx, etc.
    let (ax, bx, cx, ay, by, cy): (Int, Int, Int, Int, Int, Int)
    switch orientation {
    case .identity: (ax, bx, cx, ay, by, cy) = (1, 0, 0, 0, 1, 0)
    case .flipHorizontal: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, 1, 0)
    case .rotate180: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, -1, h - 1)
    case .flipVertical: (ax, bx, cx, ay, by, cy) = (1, 0, 0, 0, -1, h - 1)
    case .transpose: (ax, bx, cx, ay, by, cy) = (0, 1, 0, 1, 0, 0)
    case .rotate90Clockwise: (ax, bx, cx, ay, by, cy) = (0, 1, 0, -1, 0, h - 1)
    case .transverse: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, -1, 0, h - 1)
    case .rotate90CounterClockwise: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, 1, 0, 0)
    }
    let c = channels
    var out = [UInt16](repeating: 0, count: samples.count)
    samples.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for y in 0..<outHeight {
          for x in 0..<outWidth {
            let sx = ax * x + bx * y + cx
            let sy = ay * x + by * y + cy
            let from = (sy * w + sx) * c
            let to = (y * outWidth + x) * c
            for k in 0..<c { dst[to + k] = src[from + k] }
          }
        }
      }
    }
    return Image(width: outWidth, height: outHeight, channels: c, bitDepth: bitDepth, samples: out)
  }
}
