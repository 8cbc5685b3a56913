// Helpers for the ImageCodecs tests: this target's fixtures, the optional shared corpora, a seeded generator
// and synthetic images (paths and temporary folders: TestSupport).
import Foundation
import TestSupport
import Testing

@testable import ImageCodecs

enum TestPaths {
  static let fixtures = URL(fileURLWithPath: fixturePath("ImageCodecsTests", ""))
  /// `<root>/../shared/corpora`, present on the project's machines, absent elsewhere.
  static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")

  /// The corpus `name` (a folder with its README table), or nil when it is not on this machine.
  static func corpusFolder(_ name: String) -> URL? {
    let url = corpora.appendingPathComponent(name)
    return FileManager.default.fileExists(atPath: url.appendingPathComponent("README.md").path) ? url : nil
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only where the shared corpus `name` is present; elsewhere Swift Testing reports it skipped.
  static func requiresCorpus(_ name: String) -> Self {
    .enabled(if: TestPaths.corpusFolder(name) != nil, "corpus \(name) not present at \(TestPaths.corpora.path)")
  }
}

/// SplitMix64: tiny deterministic generator for tests.
struct TestGenerator: RandomNumberGenerator, Sendable {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension Image {
  /// Random samples (full range of the bit depth).
  static func random(width: Int, height: Int, channels: Int, bitDepth: Int, seed: UInt64) -> Image {
    var rng = TestGenerator(seed: seed)
    let top = UInt16(bitDepth == 8 ? 255 : 65535)
    let samples = (0..<(width * height * channels)).map { _ in UInt16.random(in: 0...top, using: &rng) }
    return Image(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
  }

  /// A smooth colour gradient (JPEG-friendly), 8-bit.
  static func gradient(width: Int, height: Int, channels: Int) -> Image {
    var image = Image(width: width, height: height, channels: channels)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          image[x, y, c] = UInt16(x * 180 / max(1, width - 1) + c * 20 + y * 30 / max(1, height - 1))
        }
      }
    }
    return image
  }

  /// Mean absolute sample difference to `other` (same geometry).
  func meanAbsoluteDifference(_ other: Image) -> Double {
    var total = 0.0
    for i in samples.indices { total += abs(Double(samples[i]) - Double(other.samples[i])) }
    return total / Double(samples.count)
  }
}

/// FNV-1a 64 over the samples as little-endian UInt16 (the layout scripts/make_codec_fixtures.py hashes).
func fnv1a64(samples: [UInt16]) -> UInt64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for sample in samples {
    for byte in [UInt8(sample & 0xFF), UInt8(sample >> 8)] {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
  }
  return hash
}

/// Byte-level builders for crafted PNG/JPEG test files.
enum Craft {
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func bigEndian32(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
  }

  /// A PNG chunk: length, type, data, CRC over type + data.
  static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return bigEndian32(UInt32(data.count)) + body + bigEndian32(crc32(body))
  }

  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// Inserts `chunk` right after IHDR (offset 8 + 25).
  static func insertingAfterIHDR(_ png: [UInt8], _ chunk: [UInt8]) -> [UInt8] {
    Array(png[0..<33]) + chunk + Array(png[33...])
  }

  /// A big-endian TIFF block whose IFD0 holds only Orientation = `value`.
  static func exifTIFF(orientation value: UInt16) -> [UInt8] {
    [
      0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
      UInt8(value >> 8), UInt8(value & 0xFF), 0, 0, 0, 0, 0, 0,
    ]
  }

  /// A JPEG with an APP1 Exif segment inserted right after SOI.
  static func jpegWithExif(_ jpeg: [UInt8], orientation: UInt16) -> [UInt8] {
    let payload = Array("Exif".utf8) + [0, 0] + exifTIFF(orientation: orientation)
    let length = payload.count + 2
    return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg[2...])
  }

  /// Offset of the first SOFn marker's segment (FF C0…C3), or nil.
  static func sofOffset(_ jpeg: [UInt8]) -> Int? {
    var i = 2
    while i + 4 < jpeg.count, jpeg[i] == 0xFF {
      let marker = jpeg[i + 1]
      if (0xC0...0xC3).contains(marker) { return i }
      i += 2 + Int(jpeg[i + 2]) << 8 + Int(jpeg[i + 3])
    }
    return nil
  }
}
