// Colours of the day/night scene renderer: RGB in [0, 1] (display values, no gamma handling: the scenes are
// stylized), with the few operations the renderer needs (mix, scale, the night-time "moonlit" transform).

/// An RGB colour with components in [0, 1] (values above 1 are allowed while compositing light).
public struct SceneColor: Equatable, Sendable {
  public var red: Float
  public var green: Float
  public var blue: Float

  public init(_ red: Float, _ green: Float, _ blue: Float) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Rec. 601 luma, the weights the tests and the dataset statistics use.
  public var luma: Float { 0.299 * red + 0.587 * green + 0.114 * blue }

  /// Linear interpolation: `self` at t = 0, `other` at t = 1.
  public func mixed(with other: SceneColor, _ t: Float) -> SceneColor {
    SceneColor(red + (other.red - red) * t, green + (other.green - green) * t, blue + (other.blue - blue) * t)
  }

  public func scaled(_ s: Float) -> SceneColor { SceneColor(red * s, green * s, blue * s) }

  public static func + (a: SceneColor, b: SceneColor) -> SceneColor {
    SceneColor(a.red + b.red, a.green + b.green, a.blue + b.blue)
  }

  /// A surface colour seen by moonlight: scotopic vision loses colour and sees blue best (the "Purkinje
  /// shift" that film-makers imitate with day-for-night filters), so the colour is dimmed, desaturated and
  /// pushed towards blue. `brightness` is the moonlight level (about 0.1–0.25).
  func moonlit(brightness: Float) -> SceneColor {
    let gray = luma
    let desaturated = mixed(with: SceneColor(gray, gray, gray), Self.nightDesaturation)
    return SceneColor(
      desaturated.red * brightness * Self.nightTint.red,
      desaturated.green * brightness * Self.nightTint.green,
      desaturated.blue * brightness * Self.nightTint.blue) + Self.nightAmbient
  }

  /// Share of the colour replaced by its gray at night.
  static let nightDesaturation: Float = 0.55
  /// Per-channel gain of moonlight (blue kept, red lost).
  static let nightTint = SceneColor(0.75, 0.9, 1.45)
  /// Skylight floor so that nothing is pure black.
  static let nightAmbient = SceneColor(0.008, 0.012, 0.03)
}
