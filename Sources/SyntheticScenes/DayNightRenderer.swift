// Rendering a DayNightScene as day or night with the painter's algorithm on a 2×2-supersampled canvas:
// sky, stars, sun or moon, clouds, hills, ground, buildings, lamps, then the water mirrors all of it.
// The same geometry is drawn under both lightings; only colours and light sources change.

import ImageCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DayNightScene {
  /// Subpixels per pixel along each axis (2×2 supersampling, averaged: anti-aliased edges).
  static let supersampling = 2

  /// The scene as a `width × height` 8-bit RGB image. Deterministic: the same scene gives the same pixels.
  public func render(width: Int, height: Int, lighting: SceneLighting) -> Image {
    precondition(width > 0 && height > 0, "render: \(width)×\(height)")
    var canvas = SceneCanvas(width: width * Self.supersampling, height: height * Self.supersampling)
    let frame = SceneFrame(width: Float(canvas.width), height: Float(canvas.height))
    drawSky(&canvas, frame, lighting)
    if lighting == .night { drawStars(&canvas, frame, pixelWidth: width, pixelHeight: height) }
    drawSunOrMoon(&canvas, frame, lighting)
    drawClouds(&canvas, frame, lighting)
    drawHills(&canvas, frame, lighting)
    drawGround(&canvas, frame, lighting)
    drawBuildings(&canvas, frame, lighting)
    drawLamps(&canvas, frame, lighting)
    drawWater(&canvas, frame, lighting)
    return canvas.image(downsampledBy: Self.supersampling)
  }

  /// A surface colour under the scene's sunlight or moonlight.
  func lit(_ color: SceneColor, _ lighting: SceneLighting) -> SceneColor {
    switch lighting {
    case .day: return SceneColor(color.red * sunlight.red, color.green * sunlight.green, color.blue * sunlight.blue)
    case .night: return color.moonlit(brightness: moonlight)
    }
  }

  /// The sky's colour at height `y` (a fraction of the image): zenith at the top, horizon colour at the
  /// horizon, with most of the change low in the sky as in a real sky.
  func skyColor(at y: Float, _ lighting: SceneLighting) -> SceneColor {
    let t = min(max(y / horizon, 0), 1)
    let (zenith, low) = lighting == .day ? (sky.dayZenith, sky.dayHorizon) : (sky.nightZenith, sky.nightHorizon)
    return zenith.mixed(with: low, t * t)
  }

  private func drawSky(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    canvas.fillRows(0..<canvas.height) { row in skyColor(at: (Float(row) + 0.5) / frame.height, lighting) }
  }

  /// Stars snap to whole output pixels so that they survive the downsampling.
  private func drawStars(_ canvas: inout SceneCanvas, _ frame: SceneFrame, pixelWidth: Int, pixelHeight: Int) {
    let s = Float(Self.supersampling)
    for star in stars {
      let x = (star.x * Float(pixelWidth)).rounded(.down) * s
      let y = (star.y * Float(pixelHeight)).rounded(.down) * s
      let b = star.brightness
      canvas.fillRect(x0: x, y0: y, x1: x + s, y1: y + s, color: SceneColor(b * 0.95, b * 0.95, b), opacity: 1)
    }
  }

  private func drawSunOrMoon(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    switch lighting {
    case .day:
      let (x, y, r) = (frame.x(sun.x), frame.y(sun.y), frame.size(sun.radius))
      canvas.addGlow(cx: x, cy: y, radius: r * 8, color: sunlight, intensity: Glow.sunHalo)
      canvas.addGlow(cx: x, cy: y, radius: r * 2.2, color: sunlight, intensity: Glow.sunCorona)
      canvas.fillEllipse(cx: x, cy: y, rx: r, ry: r, color: SceneColor(1, 0.98, 0.9), opacity: 1)
    case .night:
      let (x, y, r) = (frame.x(moon.x), frame.y(moon.y), frame.size(moon.radius))
      canvas.fillEllipse(cx: x, cy: y, rx: r, ry: r, color: SceneColor(0.93, 0.92, 0.84), opacity: 1)
      if moonPhase < 2 {  // the crescent: the dark side takes the colour of the sky around the moon
        canvas.fillEllipse(
          cx: x + moonPhase * r, cy: y - 0.2 * r, rx: r, ry: r,
          color: skyColor(at: moon.y, .night), opacity: 1)
      }
      // The halo goes on last so that it covers the dark side as it covers the sky around it.
      canvas.addGlow(cx: x, cy: y, radius: r * 3, color: SceneColor(0.55, 0.6, 0.75), intensity: Glow.moonHalo)
    }
  }

  /// Each puff is a grey body with a brighter, smaller top: lit from above.
  private func drawClouds(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    let (body, top) =
      lighting == .day
      ? (lit(SceneColor(0.8, 0.82, 0.86), .day), lit(SceneColor(0.98, 0.98, 0.98), .day))
      : (SceneColor(0.1, 0.11, 0.16), SceneColor(0.17, 0.18, 0.25))
    for cloud in clouds {
      for puff in cloud.puffs {
        let (x, y, rx, ry) = (frame.x(puff.x), frame.y(puff.y), frame.size(puff.radius), frame.size(puff.radiusY))
        canvas.fillEllipse(cx: x, cy: y, rx: rx, ry: ry, color: body, opacity: cloud.opacity, feather: 0.35)
      }
      for puff in cloud.puffs {
        let (x, y, rx, ry) = (frame.x(puff.x), frame.y(puff.y), frame.size(puff.radius), frame.size(puff.radiusY))
        canvas.fillEllipse(
          cx: x, cy: y - 0.25 * ry, rx: 0.8 * rx, ry: 0.7 * ry, color: top,
          opacity: cloud.opacity, feather: 0.5)
      }
    }
  }

  private func drawHills(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    for hill in hills {
      let tops = (0..<canvas.width).map { column in frame.y(hill.top(at: (Float(column) + 0.5) / frame.width)) }
      canvas.fillBelow(top: tops, bottom: frame.y(horizon), color: lit(hill.color, lighting), shade: 0.18)
    }
  }

  /// Ground from the horizon down (the water later covers its lower part), darker far away, and the road
  /// with its dashed centre line.
  private func drawGround(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    let near = lit(ground, lighting)
    let far = near.mixed(with: skyColor(at: horizon, lighting), 0.25)
    let top = Int(frame.y(horizon).rounded(.up))
    let span = max(frame.height - Float(top), 1)
    canvas.fillRows(top..<canvas.height) { row in far.mixed(with: near, min((Float(row) - Float(top)) / span * 3, 1)) }
    guard let road else { return }
    canvas.fillRect(
      x0: 0, y0: frame.y(road.top), x1: frame.width, y1: frame.y(road.bottom),
      color: lit(road.color, lighting))
    let middle = frame.y((road.top + road.bottom) / 2)
    let dash = lit(SceneColor(0.85, 0.82, 0.7), lighting)
    for k in stride(from: Float(0.02), to: 1, by: RoadMarking.period) {
      canvas.fillRect(
        x0: frame.x(k), y0: middle - frame.size(RoadMarking.thickness) / 2,
        x1: frame.x(k + RoadMarking.length), y1: middle + frame.size(RoadMarking.thickness) / 2,
        color: dash)
    }
  }

  enum Glow {
    static let sunHalo: Float = 0.18
    static let sunCorona: Float = 0.45
    static let moonHalo: Float = 0.1
  }

  enum RoadMarking {
    static let period: Float = 0.12
    static let length: Float = 0.05
    static let thickness: Float = 0.006
  }
}

/// Maps scene fractions to canvas subpixels; sizes of round things scale with the height.
struct SceneFrame {
  let width: Float
  let height: Float
  func x(_ fraction: Float) -> Float { fraction * width }
  func y(_ fraction: Float) -> Float { fraction * height }
  func size(_ fraction: Float) -> Float { fraction * height }
}
