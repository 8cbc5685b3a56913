// PSNR and SSIM against a numpy/scipy reference (scripts/make_metric_reference.py), and the affine baseline.

import Testing
import Translation

@Suite struct ImageMetricsTests {
  /// The two images of scripts/make_metric_reference.py, rebuilt from the same formulas.
  static func pair() -> (Image, Image) {
    let (w, h) = (24, 20)
    func image(_ f: (Int, Int, Int) -> Int) -> Image {
      var s: [UInt16] = []
      for y in 0..<h { for x in 0..<w { for c in 0..<3 { s.append(UInt16(f(x, y, c) % 256)) } } }
      return Image(width: w, height: h, channels: 3, bitDepth: 8, samples: s)
    }
    let a = image { x, y, c in [x * 11 + y * 7, x * x + 3 * y, x * y * 5 + 13][c] }
    let b = image { x, y, c in [x * 11 + y * 7 + (x % 3) * 9, x * x + 3 * y + 20, x * y * 5 + 13 + (y % 4) * 6][c] }
    return (a, b)
  }

  @Test func psnrAndSSIMMatchTheScipyReference() {
    let (a, b) = Self.pair()
    #expect(abs(ImageMetrics.psnr(a, b) - 14.35017749164701) < 1e-9)
    // The reference filters the whole image with reflected borders; inside the 5-pixel margin both agree.
    #expect(abs(ImageMetrics.ssim(a, b) - 0.7201901361769614) < 1e-9)
  }

  @Test func identicalImagesScorePerfectly() {
    let (a, _) = Self.pair()
    #expect(ImageMetrics.psnr(a, a) == .infinity)
    #expect(abs(ImageMetrics.ssim(a, a) - 1) < 1e-12)
  }

  @Test func affineColourMapMatchesChannelMoments() {
    let dark = Image(width: 2, height: 1, channels: 3, bitDepth: 8, samples: [10, 20, 30, 30, 40, 50])
    let bright = Image(width: 2, height: 1, channels: 3, bitDepth: 8, samples: [100, 100, 100, 140, 120, 200])
    let map = AffineColourMap.fit(from: ColourMoments(of: [dark]), to: ColourMoments(of: [bright]))
    #expect(map.apply(dark) == bright)
  }

  @Test func meanColourMapIsAFlatImageOfTheTargetsMeanColour() {
    let dark = Image(width: 2, height: 1, channels: 3, bitDepth: 8, samples: [10, 20, 30, 30, 40, 50])
    let bright = Image(width: 2, height: 1, channels: 3, bitDepth: 8, samples: [100, 100, 100, 140, 120, 200])
    #expect(
      AffineColourMap.meanColour(of: ColourMoments(of: [bright])).apply(dark).samples == [120, 110, 150, 120, 110, 150])
  }
}
