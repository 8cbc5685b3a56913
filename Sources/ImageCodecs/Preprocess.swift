// junyanz/pytorch-CycleGAN-and-pix2pix preprocessing (data/base_dataset.py get_transform) on Image:
// resize_and_crop, crop, scale_width, scale_width_and_crop, none, plus the random horizontal flip.
// Randomness comes only from the generator passed in, so seeded runs are reproducible.

/// junyanz's `--preprocess` modes.
public enum Preprocess: String, Sendable, CaseIterable {
  /// Resize to loadSize × loadSize (bicubic), then a random cropSize × cropSize crop (286 → 256).
  case resizeAndCrop = "resize_and_crop"
  /// A random cropSize × cropSize crop of the image as loaded.
  case crop
  /// Width to loadSize, height scaled to keep the aspect ratio but at least cropSize.
  case scaleWidth = "scale_width"
  /// scaleWidth, then a random cropSize × cropSize crop.
  case scaleWidthAndCrop = "scale_width_and_crop"
  /// Only round both sides to a multiple of 4 (bicubic), as junyanz's __make_power_2(base = 4).
  case none
}

/// A full augmentation recipe for one domain image.
public struct Augmentation: Sendable, Equatable {
  public var preprocess: Preprocess
  /// Size images are scaled to before cropping (junyanz --load_size, default 286).
  public var loadSize: Int
  /// Side of the square random crop (junyanz --crop_size, default 256).
  public var cropSize: Int
  /// Mirror left-right with probability 1/2 (junyanz: on unless --no_flip).
  public var flip: Bool

  public init(preprocess: Preprocess = .resizeAndCrop, loadSize: Int = 286, cropSize: Int = 256, flip: Bool = true) {
    precondition(loadSize > 0 && cropSize > 0, "Augmentation: sizes must be positive")
    self.preprocess = preprocess
    self.loadSize = loadSize
    self.cropSize = cropSize
    self.flip = flip
  }

  /// The augmented image. Random draws, in order: crop x, crop y (crop modes only), flip.
  /// Deviation: junyanz pads a crop larger than the image with black (PIL crop); here the crop is
  /// clamped to the image, so small images come out smaller instead of black-bordered.
  public func apply(to image: Image, using generator: inout some RandomNumberGenerator) -> Image {
    // junyanz __crop: random.randint(0, max(0, side − cropSize)), both ends inclusive.
    let out = preprocessed(image) { slack in Int.random(in: 0...slack, using: &generator) }
    return flip && Bool.random(using: &generator) ? out.flippedHorizontally() : out
  }

  /// The same preprocessing without randomness: the centred crop, no flip (what a report shows of the data).
  public func centred(_ image: Image) -> Image { preprocessed(image) { $0 / 2 } }

  /// Resizing and cropping by the mode; `offset(slack)` places a crop with `slack` pixels to spare.
  private func preprocessed(_ image: Image, offset: (Int) -> Int) -> Image {
    switch preprocess {
    case .resizeAndCrop: crop(image.resized(width: loadSize, height: loadSize), offset: offset)
    case .crop: crop(image, offset: offset)
    case .scaleWidth: scaleWidth(image)
    case .scaleWidthAndCrop: crop(scaleWidth(image), offset: offset)
    case .none: roundedToMultiple(image, of: 4)
    }
  }

  /// junyanz __scale_width: width → loadSize, height = max(loadSize · h / w, cropSize) (truncated).
  func scaleWidth(_ image: Image) -> Image {
    if image.width == loadSize && image.height >= cropSize { return image }
    let height = max(loadSize * image.height / image.width, cropSize)
    return image.resized(width: loadSize, height: height)
  }

  /// A cropSize × cropSize crop at offsets chosen by `offset` (x first, then y), clamped to the image.
  func crop(_ image: Image, offset: (Int) -> Int) -> Image {
    let x = offset(max(0, image.width - cropSize))
    let y = offset(max(0, image.height - cropSize))
    if image.width <= cropSize && image.height <= cropSize { return image }
    return image.cropped(x: x, y: y, width: min(cropSize, image.width), height: min(cropSize, image.height))
  }

  /// junyanz __make_power_2: each side to round(side / base) · base (Python rounds half to even).
  func roundedToMultiple(_ image: Image, of base: Int) -> Image {
    func round(_ side: Int) -> Int {
      max(base, Int((Double(side) / Double(base)).rounded(.toNearestOrEven)) * base)
    }
    let (width, height) = (round(image.width), round(image.height))
    if width == image.width && height == image.height { return image }
    return image.resized(width: width, height: height)
  }
}
