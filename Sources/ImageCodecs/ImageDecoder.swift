// Decoding: bytes → Image through the C shim (format sniffed from magic bytes), with EXIF orientation
// applied per DecodeOptions. C statuses become typed ImageCodecError values naming the file.
import CImageCodecs

/// A decoded image and what the file said about it.
public struct DecodedImage: Sendable {
  /// The pixels, already upright when `DecodeOptions.applyOrientation` was set.
  public var image: Image
  public let format: ImageFormat
  /// The file's EXIF orientation (`.identity` when absent), whether or not it was applied.
  public let orientation: ExifOrientation
  /// Recoverable warnings from libpng/libjpeg (corrupt but decodable data).
  public let warnings: Int
}

/// Entry points for decoding files and in-memory data.
public enum ImageDecoder {
  /// Reads and decodes the file at `path`.
  public static func load(path: String, options: DecodeOptions = DecodeOptions())
    throws(ImageCodecError) -> DecodedImage
  {
    let bytes = try FileIO.readAll(path: path)
    return try decode(bytes, path: path, options: options)
  }

  /// Decodes PNG or JPEG bytes; `path` only names the data in errors.
  public static func decode(
    _ bytes: [UInt8], path: String = "<memory>",
    options: DecodeOptions = DecodeOptions()
  ) throws(ImageCodecError) -> DecodedImage {
    guard let format = ImageFormat.detect(bytes) else { throw .unknownFormat(path: path) }
    return try decode(bytes, as: format, path: path, options: options)
  }

  /// Decodes `bytes` with the decoder for `format`, without sniffing (the fuzz harnesses enter here).
  static func decode(_ bytes: [UInt8], as format: ImageFormat, path: String, options: DecodeOptions)
    throws(ImageCodecError) -> DecodedImage
  {
    var raw = cic_image()
    var cOptions = cic_decode_options(
      max_pixels: UInt64(max(0, options.pixelLimit)),
      allow_truncated: options.allowTruncated ? 1 : 0)
    var message = [CChar](repeating: 0, count: Int(CIC_MESSAGE_CAPACITY))
    let status = bytes.withUnsafeBufferPointer { data in
      message.withUnsafeMutableBufferPointer { text in
        switch format {
        case .png: cic_png_decode(data.baseAddress, data.count, &cOptions, &raw, text.baseAddress, text.count)
        case .jpeg: cic_jpeg_decode(data.baseAddress, data.count, &cOptions, &raw, text.baseAddress, text.count)
        }
      }
    }
    defer { cic_image_free(&raw) }
    if status != CIC_OK {
      throw error(for: status, message: string(from: message), raw: raw, path: path, limit: options.pixelLimit)
    }
    let image = try makeImage(raw, path: path)
    let exif = raw.exif.map { Array(UnsafeBufferPointer(start: $0, count: raw.exif_bytes)) } ?? []
    let orientation = exif.isEmpty ? ExifOrientation.identity : ExifOrientation(exif: exif)
    return DecodedImage(
      image: options.applyOrientation ? image.oriented(orientation) : image,
      format: format, orientation: orientation, warnings: Int(raw.warnings))
  }

  /// Copies the shim's pixel buffer into an `Image` (8-bit bytes widen to UInt16).
  static func makeImage(_ raw: cic_image, path: String) throws(ImageCodecError) -> Image {
    let width = Int(raw.width)
    let height = Int(raw.height)
    let channels = Int(raw.channels)
    let depth = Int(raw.bit_depth)
    let count = width * height * channels
    guard let pixels = raw.pixels, count > 0, (1...4).contains(channels), depth == 8 || depth == 16,
      raw.pixel_bytes == count * depth / 8
    else { throw .decodeFailed(path: path, reason: "decoder returned an inconsistent buffer") }
    let samples = [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
      if depth == 8 {
        for i in 0..<count { buffer[i] = UInt16(pixels[i]) }
      } else if let base = buffer.baseAddress {
        UnsafeMutableRawPointer(base).copyMemory(from: pixels, byteCount: count * 2)
      }
      initialized = count
    }
    return Image(width: width, height: height, channels: channels, bitDepth: depth, samples: samples)
  }

  static func error(for status: cic_status, message: String, raw: cic_image, path: String, limit: Int)
    -> ImageCodecError
  {
    switch status {
    case CIC_UNSUPPORTED: return .unsupported(path: path, reason: message)
    case CIC_TOO_LARGE:
      return .tooLarge(path: path, width: Int(raw.width), height: Int(raw.height), limit: limit)
    case CIC_TRUNCATED: return .truncated(path: path, reason: message)
    case CIC_NO_MEMORY: return .outOfMemory(path: path)
    default: return .decodeFailed(path: path, reason: message.isEmpty ? "unknown error" : message)
    }
  }

  /// The NUL-terminated C message as a String (invalid UTF-8 is replaced, never trusted).
  static func string(from message: [CChar]) -> String {
    let bytes = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
