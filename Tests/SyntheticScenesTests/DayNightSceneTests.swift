// Procedural day/night scenes: determinism, variety, and that night is the same geometry, darker, with
// warm lights (statistics in DayNightMetrics below; thresholds measured on 60 scenes, with margin).
import Foundation
import ImageCodecs
import TensorCore
import Testing

@testable import SyntheticScenes

@Suite struct DayNightSceneTests {
  static let size = 128
  /// Scenes checked by the statistical tests (fixed: the tests are deterministic).
  static let sceneIndices = 0..<16

  static func pair(_ index: Int) -> (day: Image, night: Image) {
    DayNightDataset.images(index: index, size: size, seed: 11, paired: true)
  }

  @Test func sameSeedGivesTheSameSceneAndIdenticalImages() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    let (sceneA, sceneB) = (DayNightScene.random(using: &a), DayNightScene.random(using: &b))
    #expect(sceneA == sceneB)
    for lighting in SceneLighting.allCases {
      #expect(
        sceneA.render(width: 64, height: 48, lighting: lighting)
          == sceneB.render(width: 64, height: 48, lighting: lighting))
    }
  }

  @Test func differentSeedsAndSuccessiveDrawsGiveDifferentScenes() {
    var a = SeededGenerator(seed: 1)
    var b = SeededGenerator(seed: 2)
    let first = DayNightScene.random(using: &a)
    #expect(first != DayNightScene.random(using: &b))
    #expect(first != DayNightScene.random(using: &a))
    #expect(
      first.render(width: 64, height: 64, lighting: .day)
        != DayNightScene.random(using: &b).render(width: 64, height: 64, lighting: .day))
  }

  @Test func rendersAnySizeAsEightBitRGB() {
    var rng = SeededGenerator(seed: 3)
    let scene = DayNightScene.random(using: &rng)
    for (width, height) in [(1, 1), (16, 24), (97, 31)] {
      let image = scene.render(width: width, height: height, lighting: .night)
      #expect(image.width == width && image.height == height && image.channels == 3 && image.bitDepth == 8)
      #expect(image.samples.count == width * height * 3)
    }
  }

  @Test func nightIsLessThanFortyFivePercentOfDayLuminanceForTheSameScene() {
    for index in Self.sceneIndices {
      let (day, night) = Self.pair(index)
      let (dayLuma, nightLuma) = (DayNightMetrics.meanLuma(day), DayNightMetrics.meanLuma(night))
      #expect(nightLuma < 0.45 * dayLuma, "scene \(index): night \(nightLuma), day \(dayLuma)")
    }
  }

  @Test func nightHasWarmLitWindowsAndTheDaySkyIsBrightBlue() {
    for index in Self.sceneIndices {
      let (day, night) = Self.pair(index)
      let warm = DayNightMetrics.warmFraction(night)
      #expect(warm > 0.003, "scene \(index): warm-light fraction \(warm)")
      let sky = DayNightMetrics.topRowsMean(day, share: 0.04)
      #expect(sky.blue > 0.7 && sky.blue > sky.red + 0.25 && sky.blue > sky.green, "scene \(index): sky \(sky)")
      let nightSky = DayNightMetrics.topRowsMean(night, share: 0.04)
      #expect(nightSky.blue < 0.25, "scene \(index): night sky \(nightSky)")
    }
  }

  /// Edges (gradients of log-luma) sit in the same places in the day and night images of one scene, and
  /// not in those of two different scenes: measured 0.31–0.70 paired against −0.05–0.12 unpaired.
  @Test func dayAndNightOfOneSceneShareTheirEdges() {
    var paired: [Float] = []
    var unpaired: [Float] = []
    for index in Self.sceneIndices {
      let (day, night) = Self.pair(index)
      let other = DayNightDataset.images(index: index, size: Self.size, seed: 11, paired: false).night
      paired.append(DayNightMetrics.edgeCorrelation(day, night))
      unpaired.append(DayNightMetrics.edgeCorrelation(day, other))
      #expect(paired[paired.count - 1] > 0.25, "scene \(index): paired edge correlation \(paired.last ?? 0)")
      #expect(unpaired[unpaired.count - 1] < 0.2, "scene \(index): unpaired edge correlation \(unpaired.last ?? 0)")
    }
    let mean = { (values: [Float]) in values.reduce(0, +) / Float(values.count) }
    #expect(mean(paired) > mean(unpaired) + 0.3)
  }
}

/// Image statistics for the day/night tests: mean luma, warm-light fraction, sky colour, edge agreement.
enum DayNightMetrics {
  /// Rec. 601 luma of pixel i in [0, 1].
  static func luma(_ image: Image, _ i: Int) -> Float {
    let s = image.samples
    return (0.299 * Float(s[3 * i]) + 0.587 * Float(s[3 * i + 1]) + 0.114 * Float(s[3 * i + 2])) / 255
  }

  static func meanLuma(_ image: Image) -> Float {
    (0..<image.pixelCount).reduce(0) { $0 + luma(image, $1) } / Float(image.pixelCount)
  }

  /// Share of pixels lit by warm artificial light: R > 180 and R > B + 60.
  static func warmFraction(_ image: Image) -> Float {
    let s = image.samples
    let warm = (0..<image.pixelCount).filter { i in s[3 * i] > 180 && Int(s[3 * i]) > Int(s[3 * i + 2]) + 60 }
    return Float(warm.count) / Float(image.pixelCount)
  }

  /// Mean (R, G, B) in [0, 1] of the top `share` of the rows.
  static func topRowsMean(_ image: Image, share: Float) -> (red: Float, green: Float, blue: Float) {
    let rows = max(Int(Float(image.height) * share), 1)
    var sum: (Float, Float, Float) = (0, 0, 0)
    for i in 0..<(rows * image.width) {
      sum.0 += Float(image.samples[3 * i])
      sum.1 += Float(image.samples[3 * i + 1])
      sum.2 += Float(image.samples[3 * i + 2])
    }
    let n = Float(rows * image.width) * 255
    return (sum.0 / n, sum.1 / n, sum.2 / n)
  }

  /// Pearson correlation of the gradient magnitudes of log-luma (insensitive to the global dimming from day
  /// to night): high when the two images have their edges in the same places.
  static func edgeCorrelation(_ a: Image, _ b: Image) -> Float {
    let (ga, gb) = (gradientMagnitudes(a), gradientMagnitudes(b))
    let n = Float(ga.count)
    let (ma, mb) = (ga.reduce(0, +) / n, gb.reduce(0, +) / n)
    var (sab, saa, sbb): (Float, Float, Float) = (0, 0, 0)
    for i in ga.indices {
      let (x, y) = (ga[i] - ma, gb[i] - mb)
      sab += x * y
      saa += x * x
      sbb += y * y
    }
    return sab / (saa * sbb).squareRoot()
  }

  static func gradientMagnitudes(_ image: Image) -> [Float] {
    let (w, h) = (image.width, image.height)
    let l = (0..<image.pixelCount).map { log(luma(image, $0) + logFloor) }
    var g: [Float] = []
    g.reserveCapacity((w - 1) * (h - 1))
    for y in 0..<(h - 1) {
      for x in 0..<(w - 1) {
        let (dx, dy) = (l[y * w + x + 1] - l[y * w + x], l[(y + 1) * w + x] - l[y * w + x])
        g.append((dx * dx + dy * dy).squareRoot())
      }
    }
    return g
  }

  /// Keeps log-luma finite and mutes the noise of near-black pixels.
  static let logFloor: Float = 0.03
}
