// Pixel geometry on Image: crop, horizontal flip, and reflection padding to a multiple of N with the
// matching crop back (reflection as numpy "reflect" / torch ReflectionPad2d: the edge is not repeated).

/// Where `paddedByReflection(toMultipleOf:)` added pixels; `Image.removingPadding(_:)` undoes it.
public struct ReflectPadding: Equatable, Sendable {
  public let top: Int, left: Int, bottom: Int, right: Int
  /// The size before padding.
  public let originalWidth: Int, originalHeight: Int
}

extension Image {
  /// The `width` × `height` window whose top-left corner is (x, y); it must lie inside the image.
  public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) -> Image {
    precondition(
      x >= 0 && y >= 0 && cropWidth > 0 && cropHeight > 0 && x + cropWidth <= width
        && y + cropHeight <= height,
      "cropped: window \(cropWidth)x\(cropHeight)+\(x)+\(y) outside \(width)x\(height)")
    let c = channels
    var out = [UInt16]()
    out.reserveCapacity(cropWidth * cropHeight * c)
    for row in y..<(y + cropHeight) {
      let start = (row * width + x) * c
      out.append(contentsOf: samples[start..<(start + cropWidth * c)])
    }
    return Image(width: cropWidth, height: cropHeight, channels: c, bitDepth: bitDepth, samples: out)
  }

  /// The mirror image (left and right swapped).
  public func flippedHorizontally() -> Image { oriented(.flipHorizontal) }

  /// The image grown by reflection so both sides are multiples of `multiple` (e.g. 4 for a generator with
  /// two stride-2 downsamplings). Padding is split evenly, the extra pixel going right/bottom.
  public func paddedByReflection(toMultipleOf multiple: Int) -> (Image, ReflectPadding) {
    precondition(multiple > 0, "paddedByReflection: multiple \(multiple) must be positive")
    let padWidth = (multiple - width % multiple) % multiple
    let padHeight = (multiple - height % multiple) % multiple
    let padding = ReflectPadding(
      top: padHeight / 2, left: padWidth / 2, bottom: padHeight - padHeight / 2,
      right: padWidth - padWidth / 2, originalWidth: width, originalHeight: height)
    if padWidth == 0 && padHeight == 0 { return (self, padding) }
    let outWidth = width + padWidth
    let outHeight = height + padHeight
    let c = channels
    var out = [UInt16](repeating: 0, count: outWidth * outHeight * c)
    for y in 0..<outHeight {
      let sy = Self.reflect(y - padding.top, height)
      for x in 0..<outWidth {
        let from = (sy * width + Self.reflect(x - padding.left, width)) * c
        let to = (y * outWidth + x) * c
        for k in 0..<c { out[to + k] = samples[from + k] }
      }
    }
    return (Image(width: outWidth, height: outHeight, channels: c, bitDepth: bitDepth, samples: out), padding)
  }

  /// Crops away what `paddedByReflection` added (also after a network kept the padded size).
  public func removingPadding(_ padding: ReflectPadding) -> Image {
    cropped(x: padding.left, y: padding.top, width: padding.originalWidth, height: padding.originalHeight)
  }

  /// Index `i` folded into 0..<n by mirror reflection without repeating the edge (period 2(n − 1)).
  static func reflect(_ i: Int, _ n: Int) -> Int {
    if n == 1 { return 0 }
    let period = 2 * (n - 1)
    var m = i % period
    if m < 0 { m += period }
    return m < n ? m : period - m
  }
}
