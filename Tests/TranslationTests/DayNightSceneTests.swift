// Procedural day/night scenes: determinism, variety, and that night is the same geometry, darker, with
// warm lights (statistics in DayNightMetrics.swift; thresholds measured on 60 scenes with margin).
import Testing
import Translation

@Suite struct DayNightSceneTests {
  static let size = 128
  /// Scenes checked by the statistical tests (fixed: the tests are deterministic).
  static let sceneIndices = 0..<16

  static func pair(_ index: Int) -> (day: Image, night: Image) {
    DayNightDataset.images(index: index, size: size, seed: 11, paired: true)
  }

  @Test func sameSeedGivesTheSameSceneAndIdenticalImages() {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
    let (sceneA, sceneB) = (DayNightScene.random(using: &a), DayNightScene.random(using: &b))
    #expect(sceneA == sceneB)
    for lighting in SceneLighting.allCases {
      #expect(sceneA.render(width: 64, height: 48, lighting: lighting)
              == sceneB.render(width: 64, height: 48, lighting: lighting))
    }
  }

  @Test func differentSeedsAndSuccessiveDrawsGiveDifferentScenes() {
    var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 2)
    let first = DayNightScene.random(using: &a)
    #expect(first != DayNightScene.random(using: &b))
    #expect(first != DayNightScene.random(using: &a))
    #expect(first.render(width: 64, height: 64, lighting: .day)
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
    var paired: [Float] = [], unpaired: [Float] = []
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
