// Helpers for the ImageCodecs tests: package paths found via #filePath, the optional shared corpora,
// a seeded generator and synthetic images.
import Foundation
@testable import ImageCodecs

enum TestPaths {
  /// The package root (three levels above this file).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  /// `<root>/../shared/corpora`, present on the project's machines, absent elsewhere.
  static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")

  static func corpusFolder(_ name: String) -> URL? {
    let url = corpora.appendingPathComponent(name)
    return FileManager.default.fileExists(atPath: url.appendingPathComponent("README.md").path) ? url : nil
  }

  /// A fresh empty temporary folder.
  static func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("imagecodecs-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// SplitMix64: tiny deterministic generator for tests.
struct TestGenerator: RandomNumberGenerator {
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
