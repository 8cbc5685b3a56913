// ImageFormat: the container formats we read and write, detected from magic bytes (never the extension).

/// A supported file format.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
  case png
  case jpeg

  /// The format whose signature starts `bytes`, or nil. PNG: the 8-byte signature; JPEG: SOI + a marker
  /// (FF D8 FF).
  public static func detect(_ bytes: some Collection<UInt8>) -> ImageFormat? {
    let head = Array(bytes.prefix(8))
    if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
    if head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF { return .jpeg }
    return nil
  }

  /// The format a file extension asks for when writing ("png"; "jpg"/"jpeg"), any case.
  public init?(fileExtension: String) {
    switch fileExtension.lowercased() {
    case "png": self = .png
    case "jpg", "jpeg": self = .jpeg
    default: return nil
    }
  }
}
