import Testing
import Translation

@Suite struct ImageTensorTests {
  @Test func eightAndSixteenBitSamplesRoundTripThroughTensors() {
    for depth in [8, 16] {
      let max = depth == 8 ? 255 : 65535
      let samples = (0..<(4 * 3 * 3)).map { UInt16(($0 * 7919) % (max + 1)) }
      let image = Image(width: 4, height: 3, channels: 3, bitDepth: depth, samples: samples)
      let t = Tensor(image: image, channels: 3)
      #expect(t.shape == [1, 3, 3, 4])
      #expect(t.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
      #expect(Image(tensor: t, bitDepth: depth) == image)
    }
  }

  @Test func valuesMapAsJunyanzNormalizeAndRoundToNearest() {
    let image = Image(width: 2, height: 1, channels: 1, bitDepth: 8, samples: [0, 255])
    #expect(Tensor(image: image, channels: 1).scalars == [-1, 1])
    // (y + 1)·127.5: −0.5 → 63.75 → 64; out of range clamps.
    let t = Tensor(shape: [1, 1, 1, 3], values: [-0.5, 2, -3])
    #expect(Image(tensor: t).samples == [64, 255, 0])
  }

  @Test func grayFeedsRGBNetworksAndRGBFeedsGrayNetworksAsLuma() {
    let gray = Image(width: 1, height: 1, channels: 1, bitDepth: 8, samples: [51])
    #expect(Set(Tensor(image: gray, channels: 3).scalars).count == 1)
    let rgb = Image(width: 1, height: 1, channels: 3, bitDepth: 8, samples: [255, 0, 0])
    #expect(abs(Tensor(image: rgb, channels: 1).scalars[0] - (0.299 * 2 - 1)) < 1e-6)
  }

  @Test func alphaPassesThroughUntouched() {
    let rgba = Image(width: 2, height: 1, channels: 4, bitDepth: 8, samples: [1, 2, 3, 40, 5, 6, 7, 80])
    let colour = Image(width: 2, height: 1, channels: 3, bitDepth: 8, samples: [9, 9, 9, 8, 8, 8])
    #expect(rgba.replacingColour(with: colour).samples == [9, 9, 9, 40, 8, 8, 8, 80])
  }
}
