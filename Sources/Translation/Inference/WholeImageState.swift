// A forward state stored for the whole image during exact tiled statistics: the running activation and the saved
// stack as whole-image tensors, so that later passes resume from it instead of recomputing from the input. Such
// passes run in full-width strips that need only the context of the layers they run (a few pixels), and their
// outputs overwrite the buffers the next state no longer needs once no later strip reads them.

import Foundation

/// A forward state over the whole image. `buffers` own the storage (so that writing into them copies nothing);
/// `y` and `saved` index them, a nil saved entry being the input image itself (cropped when needed, never
/// stored). Each buffer is (1, C, H/s, W/s) for its own scale s.
struct WholeImageState {
  var step: Int
  var buffers: [Tensor]
  var y: Int
  var saved: [Int?]
  var bytes: Int { 4 * buffers.reduce(0) { $0 + $1.count } }
}

extension ImageTranslator {
  /// Runs every tile from `state` (nil: from the input image) up to step `stop`, showing each tile's state to
  /// `visit`, and replaces `state` with the states reached, stored for the whole image, when they fit in
  /// `budget` bytes beside the source's buffers and the working set: `tileBytes`, or twice a tile's source and
  /// output (the crops, one output pending and one being computed), whichever is more. Tiles read only the
  /// source and are written one tile late, so a source buffer can be overwritten: the tiles must be in order,
  /// each one's context reaching no further than its neighbour's core.
  func advance(
    _ state: inout WholeImageState?, tiles: [TileGrid.Tile], until stop: Int, program: ForwardProgram,
    statistics: [NormalizationStatistics], padded: Image, budget: Int, tileBytes: Int,
    visit: (TileGrid.Tile, ForwardState) -> Void
  ) {
    let (step, y, saved) = (state?.step ?? 0, state?.y, state?.saved ?? [])
    var buffers = state?.buffers ?? []
    state = nil  // `buffers` is now the storage's only owner
    let kept = program.lowestDepth(from: step, until: stop, depth: saved.count)
    // Per output (the reached y, then the stack entries above `kept`): its buffer, nil for the input image.
    var targets: [Int?]?
    var pending: (tile: TileGrid.Tile, state: ForwardState)?
    func commit() {
      guard let (tile, reached) = pending, let targets else { return }
      for (target, tensor) in zip(targets, [reached.y] + reached.saved[kept...]) {
        guard let target else { continue }
        let s = tile.window.width / tensor.shape[3]
        buffers[target].copy(
          tensor, region: Self.core(of: tile, in: tensor), toX: tile.core.x / s, y: tile.core.y / s)
      }
      pending = nil
    }
    for tile in tiles {
      let source = ForwardState(
        step: step, y: y.map { buffers[$0].cropped(tile.window, width: padded.width) } ?? imageTensor(tile, padded),
        saved: saved.map {
          $0.map { buffers[$0].cropped(tile.window, width: padded.width) } ?? imageTensor(tile, padded)
        })
      let reached = program.run(source, until: stop, statistics: statistics)
      visit(tile, reached)
      if targets == nil && stop < program.steps.count {
        targets = plan(
          outputs: [reached.y] + reached.saved[kept...], firstSaved: kept, program: program, tile: tile,
          buffers: &buffers, keeping: saved.prefix(kept).compactMap { $0 },
          available: budget - max(tileBytes, 2 * (source.bytes + reached.y.count * 4)), width: padded.width,
          height: padded.height)
      }
      commit()
      pending = (tile, reached)
    }
    commit()
    if let targets, targets[0] != nil {
      // Renumber the buffers the new state uses; the others are freed.
      let used = Array(Set(saved.prefix(kept).compactMap { $0 } + targets.compactMap { $0 })).sorted()
      let index = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
      let stack =
        saved.prefix(kept).map { $0.flatMap { index[$0] } } + targets.dropFirst().map { $0.flatMap { index[$0] } }
      state = WholeImageState(
        step: stop, buffers: used.map { buffers[$0] }, y: targets[0].flatMap { index[$0] } ?? 0, saved: stack)
    } else if let y {
      state = WholeImageState(step: step, buffers: buffers, y: y, saved: saved)
    }
  }

  /// Buffers for `outputs` (a tile's y and saved entries from `firstSaved`): a source buffer of the same shape
  /// that the new state does not keep, else a new one; nil targets (nothing stored) unless all fit in `available`.
  private func plan(
    outputs: [Tensor], firstSaved: Int, program: ForwardProgram, tile: TileGrid.Tile, buffers: inout [Tensor],
    keeping: [Int], available: Int, width: Int, height: Int
  ) -> [Int?] {
    var free = Set(buffers.indices).subtracting(keeping)
    var targets: [Int?] = []
    var shapes: [[Int]] = []
    for (i, tensor) in outputs.enumerated() {
      // Stack entries at the bottom are the input image, cropped when needed.
      if i > 0 && firstSaved + i - 1 < program.inputSaves {
        targets.append(nil)
        continue
      }
      let s = tile.window.width / tensor.shape[3]
      let whole = [1, tensor.shape[1], height / s, width / s]
      if let reuse = free.first(where: { buffers[$0].shape == whole }) {
        free.remove(reuse)
        targets.append(reuse)
      } else {
        targets.append(buffers.count + shapes.count)
        shapes.append(whole)
      }
    }
    let bytes = 4 * (buffers.reduce(0) { $0 + $1.count } + shapes.reduce(0) { $0 + $1.reduce(1, *) })
    guard bytes <= available else { return outputs.map { _ in nil } }
    buffers += shapes.map { Tensor(zeros: $0) }
    return targets
  }

  private func imageTensor(_ tile: TileGrid.Tile, _ padded: Image) -> Tensor {
    let w = tile.window
    return Tensor(
      image: padded.cropped(x: w.x, y: w.y, width: w.width, height: w.height), channels: architecture.inChannels)
  }
}

extension Tensor {
  /// The part of this whole-image tensor (1, C, H/s, W/s) under `window` (input pixels of an image `width` wide).
  func cropped(_ window: PixelRect, width: Int) -> Tensor {
    let (c, h, w) = (shape[1], shape[2], shape[3])
    let s = width / w
    let (x0, y0, cw, ch) = (window.x / s, window.y / s, window.width / s, window.height / s)
    return Tensor(shape: [1, c, ch, cw]) { out in
      guard let base = out.baseAddress else { return }
      for k in 0..<c {
        for row in 0..<ch {
          (base + (k * ch + row) * cw).update(from: pointer + k * h * w + (y0 + row) * w + x0, count: cw)
        }
      }
    }
  }

  /// Copies `region` of every channel of x: (1, C, h, w) to (toX, y) of this (1, C, H, W).
  mutating func copy(_ x: Tensor, region r: PixelRect, toX: Int, y toY: Int) {
    let (c, h, w) = (shape[1], shape[2], shape[3])
    let (xh, xw) = (x.shape[2], x.shape[3])
    precondition(x.shape[1] == c && toX + r.width <= w && toY + r.height <= h, "copy: \(x.shape) \(r) into \(shape)")
    withUnsafeMutableBufferPointer { out in
      guard let base = out.baseAddress else { return }
      for k in 0..<c {
        for row in 0..<r.height {
          let from = x.pointer + k * xh * xw + (r.y + row) * xw + r.x
          (base + k * h * w + (toY + row) * w + toX).update(from: from, count: r.width)
        }
      }
    }
  }
}
