// Images in and out of the style tools: scale to a working size on the longer side, convert to network space
// [−1, 1] (ImageTensor.swift), and back to the original size, colour layout and alpha.

/// Conversions shared by style transfer, the style loss and fast style training.
public enum StyleImages {
  /// (width, height) with the longer side `longerSide` and the aspect ratio kept (each side at least 1).
  public static func scaledSize(width: Int, height: Int, longerSide: Int) -> (width: Int, height: Int) {
    let scale = Double(longerSide) / Double(max(width, height))
    return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
  }

  /// image → (1, 3, h, w) in [−1, 1] with the longer side `longerSide` (bicubic; alpha dropped, gray → RGB).
  public static func networkTensor(_ image: Image, longerSide: Int) -> Tensor {
    let (w, h) = scaledSize(width: image.width, height: image.height, longerSide: longerSide)
    let scaled = (w, h) == (image.width, image.height) ? image : image.resized(width: w, height: h)
    return Tensor(image: scaled, channels: 3)
  }

  /// A style image → (1, 3, h, w) in [−1, 1] with the longer side `longerSide` and the shorter side at least
  /// `minimumSide` (the feature network's smallest input): a very elongated image is first cropped about its
  /// centre to the longest aspect ratio that allows both. Only its Gram statistics are used, which a crop keeps.
  public static func styleTensor(_ image: Image, longerSide: Int, minimumSide: Int) -> Tensor {
    let (long, short) = (max(image.width, image.height), min(image.width, image.height))
    let side = max(longerSide, minimumSide)
    // Keep long/short ≤ side/minimumSide, so that scaling the long side to `side` leaves the short one ≥ minimumSide.
    let keptLong = min(long, max(short, short * side / max(minimumSide, 1)))
    guard keptLong < long else { return networkTensor(image, longerSide: side) }
    let cropped =
      image.width >= image.height
      ? image.cropped(x: (image.width - keptLong) / 2, y: 0, width: keptLong, height: image.height)
      : image.cropped(x: 0, y: (image.height - keptLong) / 2, width: image.width, height: keptLong)
    return networkTensor(cropped, longerSide: side)
  }

  /// tensor (1, 3, h, w) in [−1, 1] → an 8-bit RGB image resized (bicubic) to `original`'s size, with the
  /// original's alpha channel kept.
  public static func image(_ tensor: Tensor, restoringSizeOf original: Image) -> Image {
    var rgb = Image(tensor: tensor, bitDepth: 8)
    if rgb.width != original.width || rgb.height != original.height {
      rgb = rgb.resized(width: original.width, height: original.height)
    }
    return original.replacingColour(with: rgb)
  }
}
