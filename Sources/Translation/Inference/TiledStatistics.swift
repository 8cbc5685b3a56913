// Exact whole-image InstanceNorm statistics for tiled inference: norm k's statistics depend only on the layers
// before it, so one pass per norm runs every tile up to norm k (normalizing the earlier norms with their now
// known statistics) and merges the moments of the tile's core; a last pass runs the tiles to the end. Tiles
// resume from their stored state of the previous pass while the stored states fit the budget.

import Foundation

/// Per-channel count, mean and sum of squared deviations, in Double: each region by two passes, regions merged
/// by Chan, Golub & LeVeque's pairwise update, so that a 24-megapixel image loses no precision.
struct ChannelMoments {
  private(set) var count = 0
  private(set) var mean: [Double]
  private(set) var squaredDeviations: [Double]

  init(channels: Int) {
    mean = Array(repeating: 0, count: channels)
    squaredDeviations = mean
  }

  /// Adds `region` (in x's own pixels) of every channel plane of x: (1, C, H, W).
  mutating func add(_ x: Tensor, region r: PixelRect) {
    let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
    precondition(c == mean.count && r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h)
    let n = r.width * r.height
    guard n > 0 else { return }
    let total = count + n
    for k in 0..<c {
      let plane = x.pointer + k * h * w
      var sum = 0.0
      for row in r.y..<(r.y + r.height) { for col in r.x..<(r.x + r.width) { sum += Double(plane[row * w + col]) } }
      let regionMean = sum / Double(n)
      var deviations = 0.0
      for row in r.y..<(r.y + r.height) {
        for col in r.x..<(r.x + r.width) {
          let d = Double(plane[row * w + col]) - regionMean
          deviations += d * d
        }
      }
      let delta = regionMean - mean[k]
      mean[k] += delta * Double(n) / Double(total)
      squaredDeviations[k] += deviations + delta * delta * Double(count) * Double(n) / Double(total)
    }
    count = total
  }

  /// Mean and 1/√(biased variance + eps), as InstanceNorm2d normalizes.
  func statistics(eps: Float) -> NormalizationStatistics {
    NormalizationStatistics(
      mean: mean.map { Float($0) },
      invStd: squaredDeviations.map { Float(1 / ($0 / Double(count) + Double(eps)).squareRoot()) })
  }
}

extension ImageTranslator {
  /// padded: sides multiples of the size multiple → (1, outChannels, H, W), every InstanceNorm normalized with
  /// the whole image's statistics computed over the tiles' cores. States of up to `storedBytes` stay in memory.
  func exactTiledForward(_ padded: Image, grid: TileGrid, program: ForwardProgram, storedBytes: Int) -> Tensor {
    let channels = architecture.inChannels
    func start(_ tile: TileGrid.Tile) -> ForwardState {
      let w = tile.window
      let image = padded.cropped(x: w.x, y: w.y, width: w.width, height: w.height)
      return ForwardState(step: 0, y: Tensor(image: image, channels: channels), saved: [])
    }
    var stored = [ForwardState?](repeating: nil, count: grid.tiles.count)
    var bytes = 0
    var statistics: [NormalizationStatistics] = []
    for normStep in program.normSteps {
      var moments: ChannelMoments?
      for (t, tile) in grid.tiles.enumerated() {
        let state = program.run(stored[t] ?? start(tile), until: normStep, statistics: statistics)
        var merged = moments ?? ChannelMoments(channels: state.y.shape[1])
        merged.add(state.y, region: Self.core(of: tile, in: state.y))
        moments = merged
        let previous = stored[t]?.bytes ?? 0
        if bytes - previous + state.bytes <= storedBytes {
          stored[t] = state
          bytes += state.bytes - previous
        }
      }
      guard case .norm(let norm) = program.steps[normStep], let moments else { preconditionFailure("not a norm") }
      statistics.append(moments.statistics(eps: norm.eps))
    }
    return blendTiles(grid) { t, tile in
      defer { stored[t] = nil }
      return program.run(stored[t] ?? start(tile), until: program.steps.count, statistics: statistics).y
    }
  }

  /// The tile's core in the pixels of x, an activation of its window at 1/s resolution (s = window / x width).
  /// Exact because windows and cores are multiples of the size multiple, a multiple of every s.
  static func core(of tile: TileGrid.Tile, in x: Tensor) -> PixelRect {
    let s = tile.window.width / x.shape[3]
    precondition(
      s * x.shape[3] == tile.window.width && s * x.shape[2] == tile.window.height,
      "tile window \(tile.window) vs activation \(x.shape)")
    let (core, window) = (tile.core, tile.window)
    return PixelRect(
      x: (core.x - window.x) / s, y: (core.y - window.y) / s, width: core.width / s, height: core.height / s)
  }
}
