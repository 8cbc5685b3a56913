// Tiled inference with whole-image InstanceNorm statistics: exact ones computed tile by tile
// (TiledStatistics.swift), or a statistics pass (full resolution or a downscaled copy, see StatisticsPass)
// recording every norm layer's mean and variance, imposed on each tile (NormStatisticsOverride); the tiles'
// outputs are blended with feathered weights.

extension ImageTranslator {
  /// padded: an image whose sides are multiples of the size multiple → (1, outChannels, H, W) in [−1, 1].
  func tiledForward(_ padded: Image, grid: TileGrid, statistics: StatisticsPass) -> Tensor {
    let channels = architecture.inChannels
    let source: Image
    switch statistics {
    case .tileByTile(let storedBytes):
      if let program = ForwardProgram(generator) {
        return exactTiledForward(padded, grid: grid, program: program, storedBytes: storedBytes)
      }
      // A generator the program cannot flatten: the approximation (no such generator is built today).
      let fallback = planner.downscaledStatistics(
        width: padded.width, height: padded.height,
        available: planner.networkBudget(width: padded.width, height: padded.height))
      return tiledForward(padded, grid: grid, statistics: fallback)
    case .fullResolution: source = padded
    case .downscaled(let w, let h): source = padded.resized(width: w, height: h, filter: .area)
    }
    let recorded = NormStatisticsOverride.recording { () -> Void in
      _ = generator(Variable(Tensor(image: source, channels: channels)))
    }.statistics
    return blendTiles(grid) { _, tile in
      let window = padded.cropped(
        x: tile.window.x, y: tile.window.y, width: tile.window.width, height: tile.window.height)
      return NormStatisticsOverride.applying(recorded) {
        generator(Variable(Tensor(image: window, channels: channels))).value
      }
    }
  }

  /// The tiles' outputs (`forward(index, tile)`: (1, C, window height, window width)) blended with feathered
  /// weights into (1, C, H, W).
  func blendTiles(_ grid: TileGrid, _ forward: (Int, TileGrid.Tile) -> Tensor) -> Tensor {
    let (h, w, c) = (grid.height, grid.width, architecture.outChannels)
    var sum = Tensor(zeros: [1, c, h, w])
    var weights = [Float](repeating: 0, count: h * w)
    for (index, tile) in grid.tiles.enumerated() {
      let y = forward(index, tile)
      sum.withUnsafeMutableBufferPointer { s in
        weights.withUnsafeMutableBufferPointer { wsum in accumulate(y, of: tile, grid: grid, into: s, weights: wsum) }
      }
    }
    sum.withUnsafeMutableBufferPointer { s in
      for p in 0..<(h * w) {
        let inv = 1 / weights[p]
        for k in 0..<c { s[k * h * w + p] *= inv }
      }
    }
    return sum
  }

  /// Adds weight · y over the tile's used region into `sum` (1, C, H, W) and the weights into `weights` (H·W).
  private func accumulate(
    _ y: Tensor, of tile: TileGrid.Tile, grid: TileGrid,
    into sum: UnsafeMutableBufferPointer<Float>, weights: UnsafeMutableBufferPointer<Float>
  ) {
    let region = grid.usedRegion(tile)
    let window = tile.window
    let (h, w, c) = (grid.height, grid.width, y.shape[1])
    let tilePlane = window.width * window.height
    let core = tile.core
    for row in region.y..<(region.y + region.height) {
      let wy = grid.weight(row, coreStart: core.y, coreEnd: core.y + core.height)
      for col in region.x..<(region.x + region.width) {
        let weight = wy * grid.weight(col, coreStart: core.x, coreEnd: core.x + core.width)
        let p = row * w + col
        let q = (row - window.y) * window.width + (col - window.x)
        weights[p] += weight
        for k in 0..<c { sum[k * h * w + p] += weight * y.pointer[k * tilePlane + q] }
      }
    }
  }
}
