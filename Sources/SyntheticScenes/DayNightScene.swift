// The geometry and colours of one procedural outdoor scene (skyline, hills, sky, water, lamps), drawn once
// by daylight and once by night from the same description. Coordinates are fractions of the image:
// x from the left edge, y from the top edge; radii and heights of round things are fractions of the height.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which light a scene is rendered under.
public enum SceneLighting: String, CaseIterable, Sendable {
  case day, night
}

/// One outdoor scene; `render(width:height:lighting:)` draws it (see DayNightRenderer.swift) and
/// `random(using:)` draws a varied one (DayNightScene+Random.swift).
public struct DayNightScene: Equatable, Sendable {
  /// Sky colours at the zenith (top of the image) and at the horizon, for both lightings.
  public struct Sky: Equatable, Sendable {
    public var dayZenith: SceneColor
    public var dayHorizon: SceneColor
    public var nightZenith: SceneColor
    public var nightHorizon: SceneColor
  }

  /// A round thing: the sun, the moon, or one puff of a cloud (then `radiusY` may differ from `radius`).
  public struct Disc: Equatable, Sendable {
    public var x: Float
    public var y: Float
    public var radius: Float
    public var radiusY: Float
  }

  /// A star: position and brightness in [0, 1].
  public struct Star: Equatable, Sendable {
    public var x: Float
    public var y: Float
    public var brightness: Float
  }

  /// A cloud: soft elliptic puffs sharing one opacity.
  public struct Cloud: Equatable, Sendable {
    public var puffs: [Disc]
    public var opacity: Float
  }

  /// One sine term of a hill ridge: height = amplitude · sin(2π · frequency · x + phase).
  public struct Wave: Equatable, Sendable {
    public var amplitude: Float
    public var frequency: Float
    public var phase: Float
  }

  /// A ridge of hills filled down to the horizon; its top is `baseline − Σ waves`.
  public struct HillRange: Equatable, Sendable {
    public var baseline: Float
    public var waves: [Wave]
    public var color: SceneColor

    /// The ridge's top at `x`.
    public func top(at x: Float) -> Float {
      var y = baseline
      for wave in waves { y -= wave.amplitude * sin(2 * Float.pi * wave.frequency * x + wave.phase) }
      return y
    }
  }

  /// A regular grid of windows on a facade. Which windows are lit at night is a deterministic hash of the
  /// scene's `detailSeed`, the building and the window, below `litFraction`.
  public struct WindowGrid: Equatable, Sendable {
    public var columns: Int
    public var rows: Int
    /// Facade margin on each side and above the top row, as fractions of the building width and height.
    public var marginX: Float
    public var marginTop: Float
    /// Window size as a fraction of its grid cell.
    public var fillX: Float
    public var fillY: Float
    public var litFraction: Float
    public var litColor: SceneColor
  }

  /// A rectangular building standing on the horizon line, from `left` to `right`, up to `top`.
  public struct Building: Equatable, Sendable {
    public var left: Float
    public var right: Float
    public var top: Float
    public var facade: SceneColor
    public var windows: WindowGrid?
    /// Height of a roof antenna as a fraction of the image height (0: none).
    public var antenna: Float
  }

  /// A street lamp standing at (`x`, `base`) with a pole `height` tall.
  public struct StreetLamp: Equatable, Sendable {
    public var x: Float
    public var base: Float
    public var height: Float
    public var lightColor: SceneColor
  }

  /// A band of road across the ground, from `top` to `bottom`.
  public struct Road: Equatable, Sendable {
    public var top: Float
    public var bottom: Float
    public var color: SceneColor
  }

  /// Water from `top` to the bottom edge, mirroring what is above `top`.
  public struct Water: Equatable, Sendable {
    public var top: Float
    public var color: SceneColor
    /// Share of the mirrored light kept (the rest is the water's own colour).
    public var reflectivity: Float
    /// Horizontal displacement of the mirror image, as a fraction of the width, and ripples per image height.
    public var rippleAmplitude: Float
    public var rippleFrequency: Float
  }

  /// The line where buildings stand and hills end.
  public var horizon: Float
  public var sky: Sky
  /// Warm tint of sunlight on surfaces (1, 1, 1 at noon; redder late in the day).
  public var sunlight: SceneColor
  /// Moonlight level applied to surfaces at night.
  public var moonlight: Float
  public var sun: Disc
  public var moon: Disc
  /// Offset of the shadow that carves the moon's crescent, in moon radii (≥ 2: full moon).
  public var moonPhase: Float
  public var stars: [Star]
  public var clouds: [Cloud]
  /// Ridges from the farthest to the nearest.
  public var hills: [HillRange]
  /// Buildings from the back to the front.
  public var buildings: [Building]
  public var ground: SceneColor
  public var road: Road?
  public var lamps: [StreetLamp]
  public var water: Water?
  /// Seeds the per-window and per-pixel details (lit windows, facade texture) so that both lightings agree.
  public var detailSeed: UInt64
}
