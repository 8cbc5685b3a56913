// Encoding: Image → PNG or JPEG bytes through the C shim. PNG is lossless for every layout we hold;
// JPEG takes 8-bit gray or RGB (alpha dropped, 16-bit rounded to 8, as documented on EncodeOptions).
import CImageCodecs

/// Entry points for encoding images to bytes (see `ImageWriter` for files).
public enum ImageEncoder {
  /// The encoded file contents. `path` only names the destination in errors.
  public static func encode(_ image: Image, options: EncodeOptions, path: String = "<memory>")
    throws(ImageCodecError) -> [UInt8]
  {
    switch options {
    case .png:
      return try encodePNG(image, path: path)
    case .jpeg(let quality, let chroma):
      guard (1...100).contains(quality) else {
        throw .encodeFailed(path: path, reason: "JPEG quality \(quality) is not in 1...100")
      }
      return try encodeJPEG(
        image.droppingAlpha().converted(toBitDepth: 8), quality: quality,
        chroma: chroma, path: path)
    }
  }

  static func encodePNG(_ image: Image, path: String) throws(ImageCodecError) -> [UInt8] {
    let bytes = image.bitDepth == 8 ? image.samples.map { UInt8(clamping: $0) } : nil
    return try runEncoder(path: path) { out, size, text, capacity in
      if let bytes {
        return cic_png_encode(
          bytes, UInt32(image.width), UInt32(image.height), UInt32(image.channels), 8,
          out, size, text, capacity)
      }
      return image.samples.withUnsafeBytes { raw in
        cic_png_encode(
          raw.bindMemory(to: UInt8.self).baseAddress, UInt32(image.width),
          UInt32(image.height), UInt32(image.channels), 16, out, size, text, capacity)
      }
    }
  }

  static func encodeJPEG(_ image: Image, quality: Int, chroma: JPEGChroma, path: String)
    throws(ImageCodecError) -> [UInt8]
  {
    let bytes = image.samples.map { UInt8(clamping: $0) }
    return try runEncoder(path: path) { out, size, text, capacity in
      cic_jpeg_encode(
        bytes, UInt32(image.width), UInt32(image.height), UInt32(image.channels),
        Int32(quality), chroma == .full444 ? 1 : 0, out, size, text, capacity)
    }
  }

  /// Calls one C encoder, copies its malloc'd output into an array and frees it.
  static func runEncoder(
    path: String,
    _ call: (
      UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>,
      UnsafeMutablePointer<CChar>?, Int
    ) -> cic_status
  ) throws(ImageCodecError) -> [UInt8] {
    var output: UnsafeMutablePointer<UInt8>? = nil
    var size = 0
    var message = [CChar](repeating: 0, count: Int(CIC_MESSAGE_CAPACITY))
    let status = message.withUnsafeMutableBufferPointer { text in
      call(&output, &size, text.baseAddress, text.count)
    }
    defer { cic_buffer_free(output) }
    guard status == CIC_OK, let output else {
      if status == CIC_NO_MEMORY { throw .outOfMemory(path: path) }
      throw .encodeFailed(path: path, reason: ImageDecoder.string(from: message))
    }
    return Array(UnsafeBufferPointer(start: output, count: size))
  }
}
