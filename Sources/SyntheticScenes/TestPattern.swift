// A test card for measurements and tests of image networks: smooth colour waves plus seeded noise, so that
// every layer of a generator sees structure at several scales (used by `translate bench halo` and the
// inference tests).

import Foundation
import ImageCodecs
import TensorCore

public enum TestPattern {
  /// Colour waves of periods 9–17 pixels, varying per channel, plus ±7.5% uniform noise from `seed`.
  public static func waves(width: Int, height: Int, channels: Int = 3, bitDepth: Int = 8, seed: UInt64 = 5) -> Image {
    var rng = SeededGenerator(seed: seed)
    let top = Double(bitDepth == 8 ? 255 : 65535)
    var samples = [UInt16](repeating: 0, count: width * height * channels)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          let wave = 0.5 + 0.35 * sin(Double(x) / Double(9 + 4 * c)) * cos(Double(y) / Double(13 - 3 * c))
          let v = min(1, max(0, wave + 0.15 * (Double(rng.nextUnitFloat()) - 0.5)))
          samples[(y * width + x) * channels + c] = UInt16((v * top).rounded())
        }
      }
    }
    return Image(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
  }
}
