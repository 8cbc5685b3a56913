// Random scenes: every choice the renderer draws comes from here, from one generator, so that a seed fixes
// the scene. Ranges are named below; variety (horizon, palettes, density, water, clouds, warmth) is what
// keeps a CycleGAN from memorizing the training set.

extension DayNightScene {
  /// A varied scene drawn from `rng`.
  public static func random(using rng: inout some RandomNumberGenerator) -> DayNightScene {
    var r = SceneRandom(rng: rng)
    defer { rng = r.rng }  // hand the advanced state back to the caller
    let horizon = r.uniform(Ranges.horizon)
    let hasWater = r.chance(Chances.water)
    let waterTop = horizon + r.uniform(Ranges.quay)
    let road: Road? = !hasWater && r.chance(Chances.road) ? r.road(below: horizon) : nil
    let sky = r.sky()
    let warmth = r.uniform(0...1) * r.uniform(Ranges.warmth)  // mostly near noon, sometimes late afternoon
    let dayHorizon = sky.dayHorizon.mixed(with: Palette.sunsetHorizon, warmth)
    let groundColor = r.jittered(r.pick(Palette.grounds), Ranges.colourJitter)
    let lampBase =
      hasWater
      ? horizon + (waterTop - horizon) * 0.6
      : road?.top ?? horizon + r.uniform(Ranges.lampSetback)
    return DayNightScene(
      horizon: horizon,
      sky: Sky(
        dayZenith: sky.dayZenith, dayHorizon: dayHorizon, nightZenith: sky.nightZenith,
        nightHorizon: sky.nightHorizon),
      sunlight: SceneColor(1, 1 - 0.15 * warmth, 1 - 0.35 * warmth),
      moonlight: r.uniform(Ranges.moonlight),
      sun: r.disc(radius: Ranges.sunRadius, below: horizon),
      moon: r.disc(radius: Ranges.moonRadius, below: horizon),
      moonPhase: r.uniform(Ranges.moonPhase),
      stars: r.stars(above: horizon),
      clouds: r.clouds(above: horizon),
      hills: r.hills(horizon: horizon, haze: dayHorizon),
      buildings: r.skyline(horizon: horizon, haze: dayHorizon),
      ground: groundColor,
      road: road,
      lamps: r.chance(Chances.lamps) ? r.lamps(base: lampBase) : [],
      water: hasWater ? r.water(top: waterTop, sky: sky.dayZenith) : nil,
      detailSeed: r.rng.next())
  }

  enum Ranges {
    static let horizon: ClosedRange<Float> = 0.52...0.74
    static let quay: ClosedRange<Float> = 0.02...0.07
    static let lampSetback: ClosedRange<Float> = 0.03...0.1
    static let warmth: ClosedRange<Float> = 0...0.8
    static let colourJitter: Float = 0.06
    static let moonlight: ClosedRange<Float> = 0.12...0.22
    static let sunRadius: ClosedRange<Float> = 0.035...0.055
    static let moonRadius: ClosedRange<Float> = 0.028...0.045
    static let moonPhase: ClosedRange<Float> = 0.7...3
    static let stars: ClosedRange<Int> = 40...160
    static let cloudCount: ClosedRange<Int> = 0...7
    static let hillRanges: ClosedRange<Int> = 0...2
    /// Building width, height above the horizon, and window cell size (fractions of the image).
    static let backWidth: ClosedRange<Float> = 0.05...0.13
    static let backHeight: ClosedRange<Float> = 0.14...0.45
    static let frontWidth: ClosedRange<Float> = 0.08...0.2
    static let frontHeight: ClosedRange<Float> = 0.07...0.25
    static let windowCellX: ClosedRange<Float> = 0.026...0.045
    static let windowCellY: ClosedRange<Float> = 0.03...0.05
    static let litFraction: ClosedRange<Float> = 0.2...0.75
    static let lamps: ClosedRange<Int> = 2...6
    static let lampHeight: ClosedRange<Float> = 0.07...0.12
  }

  enum Chances {
    static let water = 0.45
    static let road = 0.6
    static let lamps = 0.8
    static let windows = 0.88
    static let antenna = 0.2
    static let backRowGap = 0.15
    static let frontRowGap = 0.35
  }

  enum Palette {
    static let sunsetHorizon = SceneColor(1.0, 0.72, 0.5)
    static let grounds = [
      SceneColor(0.32, 0.46, 0.22), SceneColor(0.45, 0.5, 0.28), SceneColor(0.52, 0.5, 0.46),
      SceneColor(0.62, 0.56, 0.42), SceneColor(0.38, 0.38, 0.36),
    ]
    static let roads = [SceneColor(0.25, 0.25, 0.27), SceneColor(0.33, 0.32, 0.31)]
    static let hills = [
      SceneColor(0.28, 0.42, 0.25), SceneColor(0.36, 0.46, 0.3), SceneColor(0.3, 0.38, 0.42),
      SceneColor(0.45, 0.42, 0.3),
    ]
    /// Facade families: concrete, brick, sandstone, glass, pastel plaster, dark steel.
    static let facades = [
      [SceneColor(0.62, 0.62, 0.6), SceneColor(0.5, 0.52, 0.54), SceneColor(0.72, 0.7, 0.66)],
      [SceneColor(0.62, 0.32, 0.24), SceneColor(0.52, 0.28, 0.22), SceneColor(0.7, 0.42, 0.3)],
      [SceneColor(0.82, 0.74, 0.58), SceneColor(0.76, 0.66, 0.5), SceneColor(0.88, 0.82, 0.7)],
      [SceneColor(0.38, 0.52, 0.62), SceneColor(0.3, 0.45, 0.55), SceneColor(0.45, 0.6, 0.66)],
      [SceneColor(0.85, 0.7, 0.68), SceneColor(0.7, 0.78, 0.72), SceneColor(0.9, 0.85, 0.62)],
      [SceneColor(0.3, 0.31, 0.34), SceneColor(0.4, 0.38, 0.36)],
    ]
    static let windowLights = [
      SceneColor(1.0, 0.86, 0.48), SceneColor(1.0, 0.74, 0.36), SceneColor(1.0, 0.92, 0.6),
      SceneColor(0.98, 0.66, 0.3),
    ]
    static let lampLights = [SceneColor(1.0, 0.78, 0.45), SceneColor(1.0, 0.62, 0.28), SceneColor(1.0, 0.9, 0.72)]
    static let waters = [SceneColor(0.16, 0.3, 0.4), SceneColor(0.14, 0.32, 0.34), SceneColor(0.2, 0.28, 0.36)]
  }
}
