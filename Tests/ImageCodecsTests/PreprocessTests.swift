// junyanz preprocess modes: output sizes per mode, reproducibility from a seed, flip statistics.
import Testing

@testable import ImageCodecs

@Suite struct PreprocessTests {
  let photo = Image.random(width: 300, height: 200, channels: 3, bitDepth: 8, seed: 1)

  @Test(arguments: [
    (Preprocess.resizeAndCrop, 256, 256), (.crop, 256, 200), (.scaleWidth, 286, 256),
    (.scaleWidthAndCrop, 256, 256), (.none, 300, 200),
  ])
  func modesGiveJunyanzSizes(mode: Preprocess, width: Int, height: Int) {
    var rng = TestGenerator(seed: 3)
    let out = Augmentation(preprocess: mode).apply(to: photo, using: &rng)
    #expect(out.width == width && out.height == height)
  }

  @Test func noneRoundsSidesToMultiplesOfFour() {
    var rng = TestGenerator(seed: 3)
    let odd = Image.random(width: 30, height: 17, channels: 1, bitDepth: 8, seed: 2)
    let out = Augmentation(preprocess: .none, flip: false).apply(to: odd, using: &rng)
    #expect(out.width == 32 && out.height == 16)  // round(7.5) = 8 (even), round(4.25) = 4
  }

  @Test func sameSeedSameResult() {
    var a = TestGenerator(seed: 42)
    var b = TestGenerator(seed: 42)
    let recipe = Augmentation(preprocess: .resizeAndCrop, loadSize: 64, cropSize: 48)
    let small = photo.resized(width: 80, height: 60, filter: .area)
    for _ in 0..<5 { #expect(recipe.apply(to: small, using: &a) == recipe.apply(to: small, using: &b)) }
  }

  @Test func flipHappensAboutHalfTheTime() {
    var rng = TestGenerator(seed: 9)
    let image = Image(width: 2, height: 1, channels: 1, bitDepth: 8, samples: [0, 255])
    let recipe = Augmentation(preprocess: .crop, cropSize: 2, flip: true)
    let flips = (0..<400).filter { _ in recipe.apply(to: image, using: &rng).samples == [255, 0] }.count
    #expect((150...250).contains(flips))
  }

  @Test func cropStaysInsideTheImage() {
    var rng = TestGenerator(seed: 5)
    let image = Image.random(width: 10, height: 7, channels: 1, bitDepth: 8, seed: 8)
    for _ in 0..<50 {
      let out = Augmentation(preprocess: .crop, cropSize: 4, flip: false).apply(to: image, using: &rng)
      #expect(out.width == 4 && out.height == 4)
    }
    let small = Augmentation(preprocess: .crop, cropSize: 16, flip: false).apply(to: image, using: &rng)
    #expect(small == image)
  }
}
