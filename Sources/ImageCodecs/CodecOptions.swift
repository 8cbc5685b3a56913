// Options for decoding (policies: pixel limit, truncation, EXIF orientation) and encoding (JPEG quality
// and chroma subsampling, PNG bit depth as given).

/// How images are decoded. The defaults are the documented policies of the project.
public struct DecodeOptions: Sendable, Equatable {
  /// Images with width × height above this are refused (`ImageCodecError.tooLarge`) after the header is
  /// read and before pixel memory is allocated. Default 100 megapixels.
  public var pixelLimit: Int
  /// false (default): a JPEG ending early is `.truncated`, not a gray-filled image, and a PNG whose IEND is
  /// missing or damaged is `.truncated`. true: keep the decoded part (JPEG: libjpeg fills missing rows
  /// with gray; PNG: only the tail after complete image data is forgiven).
  public var allowTruncated: Bool
  /// Apply the EXIF Orientation (JPEG APP1, PNG eXIf) so pixels come out upright. Default true.
  public var applyOrientation: Bool

  public static let defaultPixelLimit = 100_000_000

  public init(
    pixelLimit: Int = DecodeOptions.defaultPixelLimit, allowTruncated: Bool = false,
    applyOrientation: Bool = true
  ) {
    self.pixelLimit = pixelLimit
    self.allowTruncated = allowTruncated
    self.applyOrientation = applyOrientation
  }
}

/// JPEG chroma subsampling when encoding.
public enum JPEGChroma: String, Sendable, CaseIterable {
  /// Chroma at half resolution both ways (smaller files; libjpeg's default).
  case subsampled420
  /// Chroma at full resolution (sharper colour edges).
  case full444
}

/// How an image is encoded.
public enum EncodeOptions: Sendable, Equatable {
  /// PNG keeps the image's channels and bit depth exactly (lossless).
  case png
  /// JPEG at `quality` 1–100 (8-bit gray or RGB; alpha is dropped, 16-bit is rounded to 8).
  case jpeg(quality: Int = 92, chroma: JPEGChroma = .subsampled420)

  /// The container format written.
  public var format: ImageFormat {
    switch self {
    case .png: return .png
    case .jpeg: return .jpeg
    }
  }

  /// Default options for `format`: lossless PNG, JPEG quality 92 with 4:2:0 chroma.
  public static func defaults(for format: ImageFormat) -> EncodeOptions {
    format == .png ? .png : .jpeg()
  }
}
