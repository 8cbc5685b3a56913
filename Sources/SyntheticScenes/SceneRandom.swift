// Drawing the parts of a random day/night scene (sky, discs, stars, clouds, hills, skyline, lamps, water)
// from one generator; DayNightScene+Random.swift holds the ranges and palettes and assembles the scene.

/// A generator plus the sampling helpers the scene parts share.
struct SceneRandom<Generator: RandomNumberGenerator> {
  typealias Scene = DayNightScene
  typealias Ranges = DayNightScene.Ranges
  typealias Chances = DayNightScene.Chances
  typealias Palette = DayNightScene.Palette

  var rng: Generator

  mutating func uniform(_ range: ClosedRange<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * rng.nextUnitFloat()
  }

  mutating func integer(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

  mutating func chance(_ probability: Double) -> Bool { Double(rng.nextUnitFloat()) < probability }

  mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &rng)] }

  /// `color` with each channel moved by up to ±`amount`.
  mutating func jittered(_ color: SceneColor, _ amount: Float) -> SceneColor {
    SceneColor(
      color.red + uniform(-amount...amount), color.green + uniform(-amount...amount),
      color.blue + uniform(-amount...amount))
  }

  mutating func sky() -> Scene.Sky {
    let cityGlow = uniform(0...1)
    return Scene.Sky(
      dayZenith: SceneColor(uniform(0.16...0.34), uniform(0.38...0.58), uniform(0.74...0.95)),
      dayHorizon: SceneColor(uniform(0.68...0.84), uniform(0.8...0.9), uniform(0.9...1.0)),
      nightZenith: SceneColor(uniform(0...0.02), uniform(0.01...0.04), uniform(0.04...0.11)),
      nightHorizon: SceneColor(uniform(0.05...0.1), uniform(0.07...0.12), uniform(0.14...0.24))
        + SceneColor(0.12, 0.07, 0.03).scaled(cityGlow))
  }

  /// A sun or moon high enough to clear most skylines.
  mutating func disc(radius: ClosedRange<Float>, below horizon: Float) -> Scene.Disc {
    let r = uniform(radius)
    return Scene.Disc(x: uniform(0.08...0.92), y: uniform(0.08...max(0.1, horizon - 0.2)), radius: r, radiusY: r)
  }

  mutating func stars(above horizon: Float) -> [Scene.Star] {
    (0..<integer(Ranges.stars)).map { _ in
      let b = rng.nextUnitFloat()
      return Scene.Star(x: rng.nextUnitFloat(), y: uniform(0...horizon * 0.95), brightness: 0.25 + 0.75 * b * b)
    }
  }

  /// A cloud is a row of puffs, flatter at the bottom; cover ranges from clear to broken.
  mutating func clouds(above horizon: Float) -> [Scene.Cloud] {
    let cover = rng.nextUnitFloat()
    let count = Int(Float(Ranges.cloudCount.upperBound + 1) * cover * cover)
    return (0..<count).map { _ in
      let (cx, cy, width) = (uniform(-0.1...1.1), uniform(0.05...max(0.08, horizon - 0.15)), uniform(0.12...0.34))
      let puffCount = integer(4...8)
      let puffs = (0..<puffCount).map { k in
        let offset = Float(k) / Float(puffCount - 1) - 0.5
        let rx = uniform(0.035...0.075) * (1 - 0.6 * abs(offset))
        let ry = rx * uniform(0.5...0.8)
        return Scene.Disc(
          x: cx + offset * width + uniform(-0.01...0.01), y: cy - ry * uniform(0...0.5),
          radius: rx, radiusY: ry)
      }
      return Scene.Cloud(puffs: puffs, opacity: uniform(0.55...0.95))
    }
  }

  /// Ridges from far (hazier, higher) to near.
  mutating func hills(horizon: Float, haze: SceneColor) -> [Scene.HillRange] {
    let count = integer(Ranges.hillRanges)
    return (0..<count).map { i in
      let nearness = Float(i + 1) / Float(count)
      let waves = [
        Scene.Wave(amplitude: uniform(0.015...0.06), frequency: uniform(0.5...1.5), phase: uniform(0...7)),
        Scene.Wave(amplitude: uniform(0.008...0.03), frequency: uniform(1.5...3.5), phase: uniform(0...7)),
        Scene.Wave(amplitude: uniform(0.002...0.008), frequency: uniform(5...9), phase: uniform(0...7)),
      ]
      let color = jittered(pick(Palette.hills), Ranges.colourJitter).mixed(with: haze, 0.6 - 0.35 * nearness)
      return Scene.HillRange(
        baseline: horizon - uniform(0.08...0.2) * (1.3 - 0.4 * nearness), waves: waves,
        color: color)
    }
  }

  /// A back row of taller, hazier buildings, then a lower front row; two facade families per scene.
  mutating func skyline(horizon: Float, haze: SceneColor) -> [Scene.Building] {
    let families = [pick(Palette.facades), pick(Palette.facades)]
    let heightScale = uniform(0.55...1.1)
    let sparseness = uniform(0.5...1.6)
    var buildings: [Scene.Building] = []
    for front in [false, true] {
      var x = uniform(-0.08...0)
      while x < 1 {
        let width = uniform(front ? Ranges.frontWidth : Ranges.backWidth)
        let gapChance = (front ? Chances.frontRowGap : Chances.backRowGap) * Double(sparseness)
        if !chance(gapChance) {
          let height = uniform(front ? Ranges.frontHeight : Ranges.backHeight) * heightScale
          var facade = jittered(pick(pick(families)), Ranges.colourJitter)
          if !front { facade = facade.mixed(with: haze, 0.22) }
          buildings.append(
            building(
              left: x, width: width, top: max(horizon - height, 0.04),
              horizon: horizon, facade: facade))
        }
        x += width + (front ? uniform(0...0.06) : uniform(0...0.015))
      }
    }
    return buildings
  }

  mutating func building(
    left: Float, width: Float, top: Float, horizon: Float,
    facade: SceneColor
  ) -> Scene.Building {
    let height = horizon - top
    var windows: Scene.WindowGrid? = nil
    if chance(Chances.windows) {
      let (marginX, marginTop) = (uniform(0.08...0.18), uniform(0.04...0.12))
      let columns = max(1, Int(width * (1 - 2 * marginX) / uniform(Ranges.windowCellX)))
      let rows = max(1, Int(height * (1 - marginTop) / uniform(Ranges.windowCellY)))
      windows = Scene.WindowGrid(
        columns: columns, rows: rows, marginX: marginX, marginTop: marginTop,
        fillX: uniform(0.45...0.7), fillY: uniform(0.45...0.7),
        litFraction: uniform(Ranges.litFraction), litColor: pick(Palette.windowLights))
    }
    let antenna: Float = height > 0.25 && chance(Chances.antenna) ? uniform(0.03...0.07) : 0
    return Scene.Building(
      left: left, right: left + width, top: top, facade: facade, windows: windows,
      antenna: antenna)
  }

  /// Evenly spaced lamps with a little jitter, all of one kind of light.
  mutating func lamps(base: Float) -> [Scene.StreetLamp] {
    let count = integer(Ranges.lamps)
    let (height, light) = (uniform(Ranges.lampHeight), pick(Palette.lampLights))
    let phase = uniform(0.2...0.8)
    return (0..<count).map { i in
      Scene.StreetLamp(
        x: (Float(i) + phase + uniform(-0.1...0.1)) / Float(count), base: base,
        height: height * uniform(0.95...1.05), lightColor: light)
    }
  }

  mutating func road(below horizon: Float) -> Scene.Road {
    let top = horizon + uniform(0.05...0.12)
    return Scene.Road(top: top, bottom: top + uniform(0.06...0.12), color: jittered(pick(Palette.roads), 0.03))
  }

  mutating func water(top: Float, sky: SceneColor) -> Scene.Water {
    Scene.Water(
      top: top, color: jittered(pick(Palette.waters), 0.04).mixed(with: sky, 0.3),
      reflectivity: uniform(0.55...0.75), rippleAmplitude: uniform(0.003...0.01),
      rippleFrequency: uniform(30...70))
  }
}
