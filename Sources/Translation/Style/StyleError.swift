// Recoverable failures of style transfer and fast style networks: each names the file and the reason.

/// Errors of the style module (feature weights, style models, content folders).
public enum StyleError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A VGG weights file is unreadable or does not have torchvision's `features.N.weight` layout.
  case invalidFeatureWeights(path: String, reason: String)
  /// A file is not a style model we can rebuild (wrong format, version, architecture or tensors).
  case invalidStyleModel(path: String, reason: String)
  /// A content folder holds no image that decodes.
  case noContentImages(path: String)
  /// An image could not be read or written.
  case image(ImageCodecError)
  /// The model file could not be written.
  case cannotWrite(path: String, reason: String)
  /// At the working size (`--size` on the longer side) the image's shorter side is below what the feature
  /// network needs.
  case imageTooSmall(path: String, width: Int, height: Int, minimum: Int)

  public var description: String {
    switch self {
    case .invalidFeatureWeights(let path, let reason): "\(path): not usable as VGG feature weights: \(reason)"
    case .invalidStyleModel(let path, let reason): "\(path): not a translate style model: \(reason)"
    case .noContentImages(let path): "\(path): no readable .png/.jpg images"
    case .image(let error): "\(error)"
    case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
    case .imageTooSmall(let path, let width, let height, let minimum):
      "\(path): at the working size the image is \(width)×\(height) pixels; the feature network needs at least "
        + "\(minimum) on the shorter side (use a larger --size or a less elongated image)"
    }
  }
}
