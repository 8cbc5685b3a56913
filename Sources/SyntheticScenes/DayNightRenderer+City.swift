// The built part of a DayNightScene: facades with a shaded side and window grids (dark glass by day, a
// hashed subset lit warm at night), antennas, street lamps with their glow, and the rippled water mirror.

import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DayNightScene {
  func drawBuildings(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    let base = frame.y(horizon)
    for (index, building) in buildings.enumerated() {
      let (left, right, top) = (frame.x(building.left), frame.x(building.right), frame.y(building.top))
      let facade = lit(building.facade, lighting)
      canvas.fillRect(x0: left, y0: top, x1: right, y1: base, color: facade)
      // The side turned away from the sun (the same side at night: geometry does not change).
      let shadedWidth = (right - left) * Facade.shadedShare
      let shadedLeft = sun.x > (building.left + building.right) / 2 ? left : right - shadedWidth
      canvas.fillRect(
        x0: shadedLeft, y0: top, x1: shadedLeft + shadedWidth, y1: base,
        color: facade.scaled(lighting == .day ? Facade.dayShade : Facade.nightShade))
      canvas.fillRect(
        x0: left, y0: top, x1: right, y1: top + frame.size(Facade.roofLine),
        color: facade.scaled(Facade.roofShade))
      if building.antenna > 0 { drawAntenna(&canvas, frame, building, lighting) }
      if let windows = building.windows {
        drawWindows(
          &canvas, frame, windows, building: index, facade: building.facade, box: (left, top, right, base), lighting)
      }
    }
  }

  private func drawAntenna(
    _ canvas: inout SceneCanvas, _ frame: SceneFrame, _ building: Building,
    _ lighting: SceneLighting
  ) {
    let x = frame.x((building.left + building.right) / 2)
    let half = max(frame.size(Facade.antennaWidth) / 2, 0.75)
    let (top, bottom) = (frame.y(building.top - building.antenna), frame.y(building.top))
    canvas.fillRect(x0: x - half, y0: top, x1: x + half, y1: bottom, color: lit(SceneColor(0.3, 0.3, 0.32), lighting))
    if lighting == .night {  // aircraft warning light
      canvas.addGlow(cx: x, cy: top, radius: frame.size(0.006), color: SceneColor(1, 0.15, 0.1), intensity: 1.2)
    }
  }

  private func drawWindows(
    _ canvas: inout SceneCanvas, _ frame: SceneFrame, _ grid: WindowGrid, building: Int, facade: SceneColor,
    box: (left: Float, top: Float, right: Float, bottom: Float), _ lighting: SceneLighting
  ) {
    let width = box.right - box.left
    let height = box.bottom - box.top
    let x0 = box.left + grid.marginX * width
    let y0 = box.top + grid.marginTop * height
    let cellX = (width - 2 * grid.marginX * width) / Float(grid.columns)
    let cellY = (box.bottom - y0 - Facade.groundFloorShare * height) / Float(grid.rows)
    guard cellX > 0, cellY > 0 else { return }
    let (windowX, windowY) = (cellX * grid.fillX, cellY * grid.fillY)
    let glass = lit(SceneColor(0.1, 0.13, 0.18), .day).mixed(with: sky.dayZenith, Facade.glassSkyReflection)
    let unlit = lit(facade, .night).scaled(Facade.unlitWindowShade)
    for row in 0..<grid.rows {
      // Whole floors tend to be lit or dark together: each floor moves the threshold.
      let floorBias = (detail(building, row, -1) - 0.5) * Facade.floorCoherence
      for column in 0..<grid.columns {
        let h = detail(building, row, column)
        let color: SceneColor
        switch lighting {
        case .day: color = glass.scaled(0.85 + 0.3 * h)
        case .night: color = h + floorBias < grid.litFraction ? grid.litColor.scaled(0.88 + 0.12 * h) : unlit
        }
        let x = x0 + Float(column) * cellX + (cellX - windowX) / 2
        let y = y0 + Float(row) * cellY + (cellY - windowY) / 2
        canvas.fillRect(x0: x, y0: y, x1: x + windowX, y1: y + windowY, color: color)
      }
    }
  }

  func drawLamps(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    let pole = lit(SceneColor(0.2, 0.2, 0.22), lighting)
    for lamp in lamps {
      let (x, base, top) = (frame.x(lamp.x), frame.y(lamp.base), frame.y(lamp.base - lamp.height))
      let half = max(frame.size(Lamp.poleWidth) / 2, 0.75)
      let head = frame.size(Lamp.headSize)
      canvas.fillRect(x0: x - half, y0: top, x1: x + half, y1: base, color: pole)
      canvas.fillRect(x0: x - half, y0: top, x1: x + head * 1.5, y1: top + 2 * half, color: pole)
      let (hx, hy) = (x + head * 1.5, top + head * 0.5)
      switch lighting {
      case .day:
        canvas.fillEllipse(cx: hx, cy: hy, rx: head, ry: head * 0.6, color: SceneColor(0.72, 0.72, 0.68), opacity: 1)
      case .night:
        canvas.addGlow(
          cx: hx, cy: base, radius: frame.size(Lamp.poolRadius), color: lamp.lightColor,
          intensity: Lamp.poolIntensity, squashY: Lamp.poolSquash)
        canvas.addGlow(
          cx: hx, cy: hy, radius: frame.size(Lamp.haloRadius), color: lamp.lightColor,
          intensity: Lamp.haloIntensity)
        canvas.addGlow(cx: hx, cy: hy, radius: head * 1.5, color: lamp.lightColor, intensity: Lamp.coreIntensity)
        canvas.fillEllipse(cx: hx, cy: hy, rx: head, ry: head * 0.6, color: SceneColor(1, 0.97, 0.88), opacity: 1)
      }
    }
  }

  /// Row k below the water line mirrors row k above it, shifted sideways by a ripple that grows towards the
  /// viewer, dimmed by the reflectivity and banded in brightness.
  func drawWater(_ canvas: inout SceneCanvas, _ frame: SceneFrame, _ lighting: SceneLighting) {
    guard let water else { return }
    let top = Int(frame.y(water.top).rounded())
    let depth = max(canvas.height - top, 1)
    let amplitude = frame.x(water.rippleAmplitude)
    let frequency = 2 * Float.pi * water.rippleFrequency / frame.height
    let phase = Float(detailSeed & 0xFFFF) / 65536 * 2 * Float.pi
    let tint = lit(water.color, lighting)
    canvas.reflect(
      below: top,
      shift: { k in
        amplitude * (0.3 + 0.7 * Float(k) / Float(depth)) * sin(frequency * Float(k) + phase)
      },
      gain: { k in
        water.reflectivity * (1 - 0.3 * Float(k) / Float(depth)) * (1 + 0.08 * sin(1.7 * frequency * Float(k)))
      },
      tint: { k in tint.scaled((1 - water.reflectivity) * (1 + 0.4 * Float(k) / Float(depth))) })
    canvas.fillRect(
      x0: 0, y0: Float(top), x1: frame.width, y1: Float(top) + frame.size(Facade.roofLine),
      color: lit(ground, lighting).scaled(0.6))
  }

  /// A uniform value in [0, 1) fixed by the scene, the building and the window (SplitMix64's finalizer).
  func detail(_ building: Int, _ row: Int, _ column: Int) -> Float {
    let z =
      detailSeed ^ (UInt64(truncatingIfNeeded: building) &* splitMixGamma)
      ^ (UInt64(truncatingIfNeeded: row) &* 0xC2B2_AE3D_27D4_EB4F)
      ^ (UInt64(truncatingIfNeeded: column) &* 0x1656_67B1_9E37_79F9)
    return Float(splitMixFinalize(z) >> 40) * (1.0 / 16_777_216.0)
  }

  enum Facade {
    static let shadedShare: Float = 0.28
    static let dayShade: Float = 0.72
    static let nightShade: Float = 0.85
    static let roofLine: Float = 0.004
    static let roofShade: Float = 0.8
    static let antennaWidth: Float = 0.004
    /// Height of the windowless ground floor, as a share of the building.
    static let groundFloorShare: Float = 0.06
    static let glassSkyReflection: Float = 0.35
    static let unlitWindowShade: Float = 0.45
    static let floorCoherence: Float = 0.5
  }

  enum Lamp {
    static let poleWidth: Float = 0.005
    static let headSize: Float = 0.008
    static let haloRadius: Float = 0.035
    static let haloIntensity: Float = 0.45
    static let coreIntensity: Float = 0.9
    static let poolRadius: Float = 0.05
    static let poolIntensity: Float = 0.35
    static let poolSquash: Float = 3
  }
}
