// Exact whole-image InstanceNorm statistics for tiled inference: norm k's statistics depend only on the layers
// before it, so one pass per norm runs every tile up to norm k (normalizing the earlier norms with their now
// known statistics) and merges the moments of the tile's core; a last pass runs the tiles to the end. Passes
// resume from the whole-image state the previous pass stored, once one fits (WholeImageState.swift).

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
      for row in r.y..<(r.y + r.height) { sum += Self.sum(plane + row * w + r.x, count: r.width) { $0 } }
      let regionMean = sum / Double(n)
      var deviations = 0.0
      for row in r.y..<(r.y + r.height) {
        deviations += Self.sum(plane + row * w + r.x, count: r.width) { ($0 - regionMean) * ($0 - regionMean) }
      }
      let delta = regionMean - mean[k]
      mean[k] += delta * Double(n) / Double(total)
      squaredDeviations[k] += deviations + delta * delta * Double(count) * Double(n) / Double(total)
    }
    count = total
  }

  /// Σ f(x[i]) over `count` floats in Double, in eight independent sums so that the loop vectorizes.
  @inline(__always)
  private static func sum(_ x: UnsafePointer<Float>, count: Int, _ f: (Double) -> Double) -> Double {
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
      lanes += SIMD8<Double>(
        f(Double(x[i])), f(Double(x[i + 1])), f(Double(x[i + 2])), f(Double(x[i + 3])), f(Double(x[i + 4])),
        f(Double(x[i + 5])), f(Double(x[i + 6])), f(Double(x[i + 7])))
      i += 8
    }
    var total = lanes.sum()
    while i < count {
      total += f(Double(x[i]))
      i += 1
    }
    return total
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
  /// the whole image's statistics computed over the tiles' cores. Passes run the grid's tiles from the input
  /// until the state reached fits in `storedBytes` (beside a tile's working set) as a whole-image state; from
  /// then on each pass resumes from the stored state in strips and stores the next one where it fits, so the
  /// deep layers run about once instead of once per later norm.
  func exactTiledForward(_ padded: Image, grid: TileGrid, program: ForwardProgram, storedBytes: Int) -> Tensor {
    // Strips need every layer's reach; without it, every pass starts from the input.
    let budget = program.reach(from: 0, until: program.steps.count, scale: 1) == nil ? -1 : storedBytes
    let tileBytes =
      architecture.forwardBytes(
        width: min(grid.core + 2 * grid.halo, grid.width), height: min(grid.core + 2 * grid.halo, grid.height))
      - GeneratorArchitecture.fixedForwardBytes - architecture.parameterBytes
    var state: WholeImageState?
    var statistics: [NormalizationStatistics] = []
    for normStep in program.normSteps {
      var moments: ChannelMoments?
      let tiles =
        state.map { strips($0, until: normStep, program: program, grid: grid) }
        ?? inputTiles(until: normStep, program: program, grid: grid)
      let working = state == nil ? tileBytes : 0
      advance(
        &state, tiles: tiles, until: normStep, program: program, statistics: statistics, padded: padded,
        budget: budget, tileBytes: working
      ) { tile, reached in
        var merged = moments ?? ChannelMoments(channels: reached.y.shape[1])
        merged.add(reached.y, region: Self.core(of: tile, in: reached.y))
        moments = merged
      }
      guard case .norm(let norm) = program.steps[normStep], let moments else { preconditionFailure("not a norm") }
      statistics.append(moments.statistics(eps: norm.eps))
    }
    guard let stored = state else {
      return blendTiles(grid) { _, tile in
        let w = tile.window
        let image = padded.cropped(x: w.x, y: w.y, width: w.width, height: w.height)
        let start = ForwardState(step: 0, y: Tensor(image: image, channels: architecture.inChannels), saved: [])
        return program.run(start, until: program.steps.count, statistics: statistics).y
      }
    }
    // Strips from a stored state compute their cores exactly: no blending.
    var output = Tensor(zeros: [1, architecture.outChannels, grid.height, grid.width])
    let tiles = strips(stored, until: program.steps.count, program: program, grid: grid)
    advance(
      &state, tiles: tiles, until: program.steps.count, program: program, statistics: statistics, padded: padded,
      budget: -1, tileBytes: 0
    ) { tile, reached in
      output.copy(reached.y, region: Self.core(of: tile, in: reached.y), toX: 0, y: tile.core.y)
    }
    return output
  }

  /// The grid's tiles with only the context steps 0..<stop reach (at most the grid's halo): a statistics pass
  /// needs less context than the whole network, and what the tile computes is then exact.
  func inputTiles(until stop: Int, program: ForwardProgram, grid: TileGrid) -> [TileGrid.Tile] {
    let m = architecture.sizeMultiple
    guard let reach = program.reach(from: 0, until: stop, scale: 1) else { return grid.tiles }
    let halo = min(grid.halo, ForwardPlanner.roundUp(reach, m))
    return TileGrid(width: grid.width, height: grid.height, core: grid.core, halo: halo, blend: 0, multiple: m).tiles
  }

  /// Full-width strips of the grid's image for running `state` up to step `stop`: cores of about a 24th of
  /// the height, each with the context the steps reach (so the strips compute exactly what the whole image would).
  func strips(_ state: WholeImageState, until stop: Int, program: ForwardProgram, grid: TileGrid) -> [TileGrid.Tile] {
    let m = architecture.sizeMultiple
    let (width, height) = (grid.width, grid.height)
    let scale = width / state.buffers[state.y].shape[3]
    let halo = ForwardPlanner.roundUp(program.reach(from: state.step, until: stop, scale: scale) ?? grid.halo, m)
    let rows = max(ForwardPlanner.roundUp((height + 23) / 24, m), halo, m)
    return stride(from: 0, to: height, by: rows).map { y in
      let (y0, y1) = (max(0, y - halo), min(height, y + rows + halo))
      return TileGrid.Tile(
        core: PixelRect(x: 0, y: y, width: width, height: min(rows, height - y)),
        window: PixelRect(x: 0, y: y0, width: width, height: y1 - y0))
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
