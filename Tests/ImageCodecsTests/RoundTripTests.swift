// Encode → decode round trips: PNG exact for every channel count at 8 and 16 bits; JPEG error shrinking
// with quality; 4:4:4 chroma keeping colour edges better than 4:2:0.
import Testing

@testable import ImageCodecs

@Suite struct RoundTripTests {
  @Test(arguments: [1, 2, 3, 4], [8, 16])
  func pngRoundTripIsExact(channels: Int, bitDepth: Int) throws {
    let image = Image.random(width: 37, height: 23, channels: channels, bitDepth: bitDepth, seed: 7)
    let bytes = try ImageEncoder.encode(image, options: .png)
    #expect(ImageFormat.detect(bytes) == .png)
    let decoded = try ImageDecoder.decode(bytes)
    #expect(decoded.format == .png)
    #expect(decoded.image == image)
  }

  @Test func pngRoundTripKeeps16BitSamples() throws {
    let samples: [UInt16] = [0, 1, 255, 256, 32767, 65534, 65535, 4097]
    let image = Image(width: 4, height: 2, channels: 1, bitDepth: 16, samples: samples)
    let decoded = try ImageDecoder.decode(try ImageEncoder.encode(image, options: .png))
    #expect(decoded.image.samples == samples)
    #expect(decoded.image.bitDepth == 16)
  }

  @Test func jpegErrorShrinksWithQuality() throws {
    let image = Image.gradient(width: 64, height: 48, channels: 3)
    var errors: [Double] = []
    var sizes: [Int] = []
    for quality in [20, 60, 95] {
      let bytes = try ImageEncoder.encode(image, options: .jpeg(quality: quality))
      sizes.append(bytes.count)
      let decoded = try ImageDecoder.decode(bytes).image
      #expect(decoded.width == 64 && decoded.height == 48 && decoded.channels == 3)
      errors.append(decoded.meanAbsoluteDifference(image))
    }
    #expect(errors[0] > errors[1] && errors[1] > errors[2])
    #expect(sizes[0] < sizes[1] && sizes[1] < sizes[2])
    #expect(errors[2] < 2.5)
  }

  @Test func jpegGrayStaysGray() throws {
    let image = Image.gradient(width: 40, height: 30, channels: 1)
    let decoded = try ImageDecoder.decode(try ImageEncoder.encode(image, options: .jpeg()))
    #expect(decoded.image.channels == 1)
    #expect(decoded.image.meanAbsoluteDifference(image) < 2)
  }

  @Test func jpegFullChromaKeepsColourEdges() throws {
    // One-pixel red/blue stripes: 4:2:0 averages neighbouring chroma, 4:4:4 keeps it.
    var image = Image(width: 32, height: 32, channels: 3)
    for y in 0..<32 {
      for x in 0..<32 { image[x, y, x % 2 == 0 ? 0 : 2] = 255 }
    }
    let full = try ImageDecoder.decode(try ImageEncoder.encode(image, options: .jpeg(quality: 95, chroma: .full444)))
    let half = try ImageDecoder.decode(
      try ImageEncoder.encode(image, options: .jpeg(quality: 95, chroma: .subsampled420)))
    #expect(full.image.meanAbsoluteDifference(image) < half.image.meanAbsoluteDifference(image) / 2)
  }

  @Test func jpegDropsAlphaAndRounds16Bit() throws {
    let image = Image.random(width: 8, height: 8, channels: 4, bitDepth: 16, seed: 3)
    let decoded = try ImageDecoder.decode(try ImageEncoder.encode(image, options: .jpeg()))
    #expect(decoded.image.channels == 3 && decoded.image.bitDepth == 8)
  }

  @Test func jpegRejectsBadQuality() {
    let image = Image(width: 2, height: 2, channels: 3)
    #expect(throws: ImageCodecError.self) { try ImageEncoder.encode(image, options: .jpeg(quality: 0)) }
  }
}
