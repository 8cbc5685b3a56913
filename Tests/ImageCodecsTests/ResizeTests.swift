// Resampling: bicubic against Pillow fixtures (±1 on 8-bit), area on exact box averages, identities.
import Foundation
import Testing

@testable import ImageCodecs

@Suite struct ResizeTests {
  func fixture(_ name: String) throws -> Image {
    try ImageDecoder.load(path: TestPaths.fixtures.appendingPathComponent(name).path).image
  }

  @Test(arguments: [(11, 7), (64, 50), (37, 12), (20, 29)])
  func bicubicMatchesPillowWithinOne(size: (Int, Int)) throws {
    let source = try fixture("resize_source.png")
    let expected = try fixture("resize_bicubic_\(size.0)x\(size.1).png")
    let ours = source.resized(width: size.0, height: size.1, filter: .bicubic)
    #expect(ours.width == expected.width && ours.height == expected.height)
    let maxDifference = zip(ours.samples, expected.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
    #expect(maxDifference <= 1, "max abs difference \(maxDifference)")
  }

  @Test func areaAveragesWholeBlocks() {
    let image = Image(width: 4, height: 2, channels: 1, bitDepth: 8, samples: [0, 10, 20, 30, 40, 50, 60, 71])
    let half = image.resized(width: 2, height: 1, filter: .area)
    // Horizontal pass first, rounded as Pillow rounds each pass: rows → [5, 25] and [45, 65.5 → 66];
    // vertical: (5+45)/2 = 25 and (25+66)/2 = 45.5 → 46 (the exact box mean 45.25 would give 45).
    #expect(half.samples == [25, 46])
  }

  @Test func areaHandlesFractionalFootprints() {
    let image = Image(width: 3, height: 1, channels: 1, bitDepth: 16, samples: [0, 300, 600])
    // Output pixel 0 covers [0, 1.5): (0·1 + 300·0.5) / 1.5 = 100; pixel 1 covers [1.5, 3): 500.
    #expect(image.resized(width: 2, height: 1, filter: .area).samples == [100, 500])
  }

  @Test func sameSizeIsIdentity() {
    let image = Image.random(width: 9, height: 5, channels: 4, bitDepth: 16, seed: 2)
    #expect(image.resized(width: 9, height: 5) == image)
  }

  @Test func constantImagesStayConstant() {
    let image = Image(
      width: 13, height: 9, channels: 3, bitDepth: 8,
      samples: [UInt16](repeating: 200, count: 13 * 9 * 3))
    for filter in [ResizeFilter.bicubic, .area] {
      let out = image.resized(width: 5, height: 21, filter: filter)
      #expect(out.samples.allSatisfy { $0 == 200 })
    }
  }
}
