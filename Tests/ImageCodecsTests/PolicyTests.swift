// Decoding policies: truncation is an error unless allowed, the pixel limit refuses before allocating,
// 12-bit and lossless JPEG are "unsupported", unknown bytes and missing files give typed errors.
import Testing

@testable import ImageCodecs

@Suite struct PolicyTests {
  let jpeg: [UInt8]
  let png: [UInt8]

  init() throws {
    jpeg = try ImageEncoder.encode(Image.gradient(width: 64, height: 64, channels: 3), options: .jpeg())
    png = try ImageEncoder.encode(Image.gradient(width: 16, height: 16, channels: 3), options: .png)
  }

  @Test func truncatedJPEGIsAnErrorByDefault() {
    let cut = Array(jpeg.prefix(jpeg.count / 2))
    #expect {
      try ImageDecoder.decode(cut, path: "cut.jpg")
    } throws: { error in
      guard case .truncated(let path, _) = error as? ImageCodecError else { return false }
      return path == "cut.jpg"
    }
  }

  @Test func truncatedJPEGDecodesWhenAllowed() throws {
    let cut = Array(jpeg.prefix(jpeg.count / 2))
    let decoded = try ImageDecoder.decode(cut, options: DecodeOptions(allowTruncated: true))
    #expect(decoded.image.width == 64 && decoded.image.height == 64)
    #expect(decoded.warnings > 0)
  }

  @Test func pngWithoutIENDIsTruncatedUnlessAllowed() throws {
    let noEnd = Array(png.dropLast(12))
    #expect(throws: ImageCodecError.truncated(path: "<memory>", reason: "unexpected end of PNG data")) {
      try ImageDecoder.decode(noEnd)
    }
    let decoded = try ImageDecoder.decode(noEnd, options: DecodeOptions(allowTruncated: true))
    #expect(decoded.image == Image.gradient(width: 16, height: 16, channels: 3))
  }

  @Test func pngCutInsideImageDataIsAlwaysAnError() {
    let cut = Array(png.prefix(png.count - 30))
    #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(cut, options: DecodeOptions(allowTruncated: true)) }
  }

  @Test func pngHeaderClaiming20000SquaredIsRefusedBeforeAllocation() {
    // 20000 × 20000 RGBA 16-bit would need 3.2 GB; the header alone must be enough to refuse it.
    let ihdr = Craft.bigEndian32(20000) + Craft.bigEndian32(20000) + [16, 6, 0, 0, 0]
    let bytes =
      Craft.pngSignature + Craft.pngChunk("IHDR", ihdr) + Craft.pngChunk("IDAT", [0x78, 0x9C])
      + Craft.pngChunk("IEND", [])
    #expect(throws: ImageCodecError.tooLarge(path: "big.png", width: 20000, height: 20000, limit: 100_000_000)) {
      try ImageDecoder.decode(bytes, path: "big.png")
    }
  }

  @Test func jpegHeaderClaiming20000SquaredIsRefused() throws {
    var bytes = jpeg
    let sof = try #require(Craft.sofOffset(bytes))
    // SOF segment: FF Cn, length(2), precision(1), height(2), width(2).
    bytes[sof + 5] = 0x4E
    bytes[sof + 6] = 0x20
    bytes[sof + 7] = 0x4E
    bytes[sof + 8] = 0x20
    #expect(throws: ImageCodecError.tooLarge(path: "<memory>", width: 20000, height: 20000, limit: 100_000_000)) {
      try ImageDecoder.decode(bytes)
    }
  }

  @Test func pixelLimitIsConfigurable() throws {
    #expect(throws: ImageCodecError.tooLarge(path: "<memory>", width: 16, height: 16, limit: 255)) {
      try ImageDecoder.decode(png, options: DecodeOptions(pixelLimit: 255))
    }
    _ = try ImageDecoder.decode(png, options: DecodeOptions(pixelLimit: 256))
  }

  @Test func twelveBitJPEGIsUnsupported() throws {
    var bytes = jpeg
    let sof = try #require(Craft.sofOffset(bytes))
    bytes[sof + 1] = 0xC1  // extended sequential, which allows 12-bit
    bytes[sof + 4] = 12
    #expect {
      try ImageDecoder.decode(bytes)
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImageCodecError else { return false }
      return reason.contains("12")
    }
  }

  @Test func losslessJPEGIsUnsupported() throws {
    var bytes = jpeg
    let sof = try #require(Craft.sofOffset(bytes))
    bytes[sof + 1] = 0xC3
    #expect {
      try ImageDecoder.decode(bytes)
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImageCodecError else { return false }
      return reason.contains("0xc3")
    }
  }

  @Test func unknownBytesAndMissingFilesGiveTypedErrors() {
    #expect(throws: ImageCodecError.unknownFormat(path: "x.png")) {
      try ImageDecoder.decode(Array("GIF89a".utf8), path: "x.png")
    }
    #expect(throws: ImageCodecError.unknownFormat(path: "<memory>")) { try ImageDecoder.decode([]) }
    #expect(throws: ImageCodecError.readFailed(path: "/nonexistent/a.png", reason: "No such file or directory")) {
      try ImageDecoder.load(path: "/nonexistent/a.png")
    }
  }

  @Test func corruptDataNamesTheLibraryReason() {
    var bytes = png
    bytes[20] ^= 0xFF  // inside IHDR: CRC mismatch
    #expect {
      try ImageDecoder.decode(bytes, path: "bad.png")
    } throws: { error in
      guard case .decodeFailed(let path, let reason) = error as? ImageCodecError else { return false }
      return path == "bad.png" && reason.contains("CRC")
    }
  }
}
