// EXIF orientation: the TIFF parser on good and hostile blocks, the 8 pixel transforms, JPEG APP1 and PNG
// eXIf read on decode, and the corpus's Landscape_N/Portrait_N photos all coming out upright.
import Foundation
import Testing

@testable import ImageCodecs

@Suite struct ExifOrientationTests {
  /// 3 × 2 gray image with samples 0…5, row-major:  0 1 2 / 3 4 5.
  let small = Image(width: 3, height: 2, channels: 1, bitDepth: 8, samples: [0, 1, 2, 3, 4, 5])

  @Test func eightOrientationsMapPixelsAsPIL() {
    let expected: [ExifOrientation: (Int, Int, [UInt16])] = [
      .identity: (3, 2, [0, 1, 2, 3, 4, 5]),
      .flipHorizontal: (3, 2, [2, 1, 0, 5, 4, 3]),
      .rotate180: (3, 2, [5, 4, 3, 2, 1, 0]),
      .flipVertical: (3, 2, [3, 4, 5, 0, 1, 2]),
      .transpose: (2, 3, [0, 3, 1, 4, 2, 5]),
      .rotate90Clockwise: (2, 3, [3, 0, 4, 1, 5, 2]),
      .transverse: (2, 3, [5, 2, 4, 1, 3, 0]),
      .rotate90CounterClockwise: (2, 3, [2, 5, 1, 4, 0, 3]),
    ]
    for orientation in ExifOrientation.allCases {
      let out = small.oriented(orientation)
      let (w, h, samples) = expected[orientation]!
      #expect(out.width == w && out.height == h && out.samples == samples, "\(orientation)")
    }
  }

  @Test func parserReadsBothByteOrdersAndSurvivesGarbage() {
    #expect(ExifOrientation(exif: Craft.exifTIFF(orientation: 6)) == .rotate90Clockwise)
    let little: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0]
    #expect(ExifOrientation(exif: little) == .rotate90CounterClockwise)
    #expect(ExifOrientation(exif: Craft.exifTIFF(orientation: 0)) == .identity)
    #expect(ExifOrientation(exif: Craft.exifTIFF(orientation: 9)) == .identity)
    #expect(ExifOrientation(exif: []) == .identity)
    #expect(ExifOrientation(exif: Array(Craft.exifTIFF(orientation: 6).prefix(15))) == .identity)
    var hostile = Craft.exifTIFF(orientation: 6)
    hostile[4] = 0x7F  // IFD offset far past the end
    #expect(ExifOrientation(exif: hostile) == .identity)
    hostile = Craft.exifTIFF(orientation: 6)
    hostile[8] = 0xFF
    hostile[9] = 0xFF  // 65535 entries claimed
    #expect(ExifOrientation(exif: hostile) == .rotate90Clockwise)
  }

  @Test func jpegAPP1OrientationIsAppliedOnLoad() throws {
    let image = Image.gradient(width: 48, height: 32, channels: 3)
    let bytes = Craft.jpegWithExif(try ImageEncoder.encode(image, options: .jpeg(quality: 98)), orientation: 6)
    let upright = try ImageDecoder.decode(bytes)
    #expect(upright.orientation == .rotate90Clockwise)
    #expect(upright.image.width == 32 && upright.image.height == 48)
    let stored = try ImageDecoder.decode(bytes, options: DecodeOptions(applyOrientation: false))
    #expect(stored.image.width == 48 && stored.image.height == 32)
    #expect(stored.image.oriented(.rotate90Clockwise) == upright.image)
  }

  @Test func pngEXIfOrientationIsAppliedOnLoad() throws {
    let image = Image.random(width: 5, height: 3, channels: 4, bitDepth: 16, seed: 11)
    let png = try ImageEncoder.encode(image, options: .png)
    let bytes = Craft.insertingAfterIHDR(png, Craft.pngChunk("eXIf", Craft.exifTIFF(orientation: 8)))
    let decoded = try ImageDecoder.decode(bytes)
    #expect(decoded.orientation == .rotate90CounterClockwise)
    #expect(decoded.image == image.oriented(.rotate90CounterClockwise))
  }

  @Test(.requiresCorpus("jpeg"), arguments: ["Landscape", "Portrait"])
  func corpusPhotosComeOutUpright(kind: String) throws {
    let folder = try #require(TestPaths.corpusFolder("jpeg"))
    func thumbnail(_ n: Int) throws -> Image {
      let path = folder.appendingPathComponent("exif_orientation/\(kind)_\(n).jpg").path
      let (w, h) = kind == "Landscape" ? (60, 40) : (40, 60)
      return try ImageDecoder.load(path: path).image.resized(width: w, height: h, filter: .area)
    }
    let reference = try thumbnail(1)
    for n in [0, 2, 3, 4, 5, 6, 7, 8] {
      let difference = try thumbnail(n).meanAbsoluteDifference(reference)
      #expect(difference < 6, "\(kind)_\(n): mean difference \(difference) to \(kind)_1")
    }
  }
}
