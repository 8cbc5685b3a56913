// Overlapping tiles for large images: cores that cover the image exactly, each run with a halo of real
// context around it, and feathered (linearly ramped) weights where neighbouring tiles' outputs blend.

/// A rectangle of pixels: columns x..<x+width, rows y..<y+height.
public struct PixelRect: Equatable, Sendable, CustomStringConvertible {
  public let x: Int, y: Int, width: Int, height: Int
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
  public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// Tiles of a `width` × `height` image (already padded to the generator's multiple).
///
/// Every coordinate is a multiple of the generator's size multiple, so a tile sees the same strided grid
/// as the whole image does and computes the same function on its window. A tile's output is used over its
/// core grown by `blend` pixels; in that band its weight falls linearly to zero, and outputs are divided by
/// the sum of weights, so seams fade instead of stepping.
public struct TileGrid: Equatable, Sendable {
  public struct Tile: Equatable, Sendable {
    /// The pixels this tile is responsible for (cores partition the image).
    public let core: PixelRect
    /// What the network sees: the core grown by the halo, clipped to the image.
    public let window: PixelRect
  }

  public let width: Int, height: Int
  /// Core side, halo and blend band in pixels.
  public let core: Int, halo: Int, blend: Int
  public let tiles: [Tile]

  /// - Parameters: `core` and `halo` must be multiples of `multiple` (and `width`, `height` too);
  ///   `blend` ≤ `halo`.
  public init(width: Int, height: Int, core: Int, halo: Int, blend: Int, multiple: Int) {
    precondition(
      core > 0 && core % multiple == 0 && halo % multiple == 0 && width % multiple == 0
        && height % multiple == 0, "TileGrid: core \(core), halo \(halo), \(width)x\(height) vs \(multiple)")
    precondition(blend >= 0 && blend <= halo, "TileGrid: blend \(blend) must lie within the halo \(halo)")
    self.width = width
    self.height = height
    self.core = core
    self.halo = halo
    self.blend = blend
    var tiles: [Tile] = []
    for y in stride(from: 0, to: height, by: core) {
      for x in stride(from: 0, to: width, by: core) {
        let c = PixelRect(x: x, y: y, width: min(core, width - x), height: min(core, height - y))
        let x0 = max(0, x - halo)
        let y0 = max(0, y - halo)
        let x1 = min(width, c.x + c.width + halo)
        let y1 = min(height, c.y + c.height + halo)
        tiles.append(Tile(core: c, window: PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)))
      }
    }
    self.tiles = tiles
  }

  /// Blend weight of position `p` along one axis for a core spanning `start..<end`: 1 inside, then
  /// (blend + 1 − d)/(blend + 1) at distance d = 1…blend outside, 0 beyond.
  public func weight(_ p: Int, coreStart start: Int, coreEnd end: Int) -> Float {
    let d = p < start ? start - p : (p >= end ? p - end + 1 : 0)
    return d > blend ? 0 : Float(blend + 1 - d) / Float(blend + 1)
  }

  /// The part of the window a tile's output is used for: the core grown by `blend`, clipped to the window.
  public func usedRegion(_ tile: Tile) -> PixelRect {
    let x0 = max(tile.window.x, tile.core.x - blend)
    let y0 = max(tile.window.y, tile.core.y - blend)
    let x1 = min(tile.window.x + tile.window.width, tile.core.x + tile.core.width + blend)
    let y1 = min(tile.window.y + tile.window.height, tile.core.y + tile.core.height + blend)
    return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }
}
