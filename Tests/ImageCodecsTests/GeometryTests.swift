// Crop, flip and reflection padding (numpy "reflect" semantics) with the crop back.
import Testing

@testable import ImageCodecs

@Suite struct GeometryTests {
  @Test func cropTakesTheWindow() {
    let image = Image(width: 3, height: 3, channels: 1, bitDepth: 8, samples: [0, 1, 2, 3, 4, 5, 6, 7, 8])
    #expect(image.cropped(x: 1, y: 1, width: 2, height: 2).samples == [4, 5, 7, 8])
  }

  @Test func flipSwapsLeftAndRight() {
    let image = Image(width: 2, height: 1, channels: 3, bitDepth: 8, samples: [1, 2, 3, 4, 5, 6])
    #expect(image.flippedHorizontally().samples == [4, 5, 6, 1, 2, 3])
  }

  @Test func reflectPaddingMatchesNumpyReflect() {
    // np.pad([0, 1, 2], (1, 2), mode="reflect") == [1, 0, 1, 2, 1, 0]
    let row = Image(width: 3, height: 1, channels: 1, bitDepth: 8, samples: [0, 1, 2])
    let (padded, padding) = row.paddedByReflection(toMultipleOf: 6)
    #expect(padding.left == 1 && padding.right == 2)
    #expect(padded.height == 6)
    #expect(Array(padded.samples[0..<6]) == [1, 0, 1, 2, 1, 0])
    #expect(padded.removingPadding(padding) == row)
  }

  @Test(arguments: [1, 4, 7])
  func padThenRemoveIsIdentity(multiple: Int) {
    let image = Image.random(width: 13, height: 6, channels: 2, bitDepth: 16, seed: 9)
    let (padded, padding) = image.paddedByReflection(toMultipleOf: multiple)
    #expect(padded.width % multiple == 0 && padded.height % multiple == 0)
    #expect(padded.removingPadding(padding) == image)
  }
}
