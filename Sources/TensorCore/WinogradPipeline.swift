// Winograd F(4×4, 3×3) for narrow convolutions (K·C ≤ 128²: the residual blocks of ngf-16 and ngf-32
// generators) on images large enough for blocks of ≥ 32 tiles: each thread runs the whole pipeline — input
// transform, the 36 GEMMs, output transform — on blocks of tile rows it takes from a shared counter, with V and M
// of a block small enough to stay in its L2 cache, and U (36·K·C floats) small enough to stay there too. The split
// of Winograd.swift (every step over all threads, a hand-off between steps) keeps V and M of a whole image in L3:
// measured with cblas_sgemm, the 36 GEMMs of 64 channels run at ~105 GFLOP/s per core on L2-resident blocks of
// 16–64 tiles against ~80 on a 64² image's 256 tiles.

import CKernels
import Synchronization

enum WinogradPipelinePolicy {
  /// Bytes of V and M of one block (per thread; L2 is 1 MiB per core on the machines measured).
  static let blockBytes = 640 << 10
  /// Larger K·C and U no longer stays cached between blocks, and narrow GEMMs re-read it from L3.
  static let maxKernelPairs = 128 * 128
  /// Fewer tiles per block and the 36 BLAS calls per block cost more than the locality saves (64 channels at 32²:
  /// blocks of 16 tiles measured 15–30% slower than the split over threads).
  static let minBlockTiles = 32
}

extension WinogradTiling {
  /// Blocks for the per-thread pipeline, or nil when the convolution is too wide or the image too small for it:
  /// V and M of a block within `blockBytes`, at least two blocks per thread and `minBlockTiles` tiles per block.
  /// Blocks are whole tile rows where one fits; on wider images (64 channels: from 35 tiles, a 140-pixel-wide
  /// output) the rows are cut into equal runs of columns, so that the blocks stay L2-sized at any width: whole
  /// rows would not fit, and the split over threads streams 8 MiB blocks through L3 and DRAM (64 channels at
  /// 512²: 93 ms per convolution, 1.47× the per-pixel time at 64²).
  static func pipelined(
    _ g: ConvGeometry, outChannels k: Int, threads: Int, blockBytes: Int = WinogradPipelinePolicy.blockBytes
  ) -> WinogradTiling? {
    let tilesHigh = (g.outHeight + 3) / 4
    let tilesWide = (g.outWidth + 3) / 4
    let maxTiles = blockBytes / (36 * (g.channels + k) * MemoryLayout<Float>.size)
    guard k * g.channels <= WinogradPipelinePolicy.maxKernelPairs, maxTiles >= 1 else { return nil }
    let columnBlocks = (tilesWide + maxTiles - 1) / maxTiles
    let columns = (tilesWide + columnBlocks - 1) / columnBlocks
    let fitting = min(maxTiles / columns, tilesHigh * columnBlocks / (2 * threads))
    guard fitting * columns >= WinogradPipelinePolicy.minBlockTiles else { return nil }
    let rowBlocks = (tilesHigh + fitting - 1) / fitting
    return WinogradTiling(
      tilesHigh: tilesHigh, tilesWide: tilesWide, rowsPerBlock: (tilesHigh + rowBlocks - 1) / rowBlocks,
      columnsPerBlock: columns)
  }
}

/// Hands out work items 0, 1, 2, … to whichever thread asks first.
private final class WorkCounter: Sendable {
  private let next = Atomic<Int>(0)
  /// The next item, or nil once all `count` are taken.
  func take(below count: Int) -> Int? {
    let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return item < count ? item : nil
  }
}

/// `winogradConvolution` (same arguments and results) as a per-thread pipeline over the blocks of `tiling`.
func winogradPipelineConvolution(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, reflect: Bool, normalize: NormalizationAffine?,
  weight: UnsafePointer<Float>, flipped: Bool, outChannels k: Int, bias: UnsafePointer<Float>?,
  _ y: UnsafeMutablePointer<Float>, accumulate: Bool, _ tiling: WinogradTiling
) -> Bool {
  let c = g.channels
  let (slots, isa) = (ComputeThreads.count, WinogradPolicy.instructionSet)
  let (uPlane, row) = (winogradPlane(k * c), winogradRow(tiling.blockTiles))
  let lineFloats = ck_winograd_f43_line_floats(Int32(tiling.columnsPerBlock))
  // Per slot: V (C rows), M (K rows), lines; each part 64-byte aligned.
  let (vFloats, mFloats) = (aligned(c * row), aligned(k * row))
  let perSlot = vFloats + mFloats + aligned(lineFloats)
  return Scratch.withBufferIfAvailable(aligned(36 * uPlane) + slots * perSlot) { base in
    winogradKernels(weight, outChannels: k, inChannels: c, flipped: flipped, base, isa: isa)
    let (xs, ys, us) = (SendablePointer(x), SendablePointer(y), SendablePointer(base))
    let (scratch, bs) = (SendablePointer(base + aligned(36 * uPlane)), bias.map { SendablePointer($0) })
    let blocks = tiling.blocks
    let (items, counter) = (batch * blocks.count, WorkCounter())
    NormalizationAffine.perImage(normalize, batch: batch, channels: c) { imageAffines in
      parallelFor(slots) { slotRange in
        for slot in slotRange {
          let v = scratch.base + slot * perSlot
          let (m, lines) = (v + vFloats, v + vFloats + mFloats)
          while let item = counter.take(below: items) {
            let (n, block) = (item / blocks.count, blocks[item % blocks.count])
            let (tiles, ld) = (block.tiles, winogradRow(block.tiles))
            let (rows, columns) = (block.rows, block.columns)
            ck_winograd_f43_input(
              xs.base + n * g.imageSize, Int32(g.height), Int32(g.width), Int32(g.padding), reflect ? 1 : 0,
              Int32(rows.lowerBound), Int32(rows.upperBound), Int32(columns.lowerBound), Int32(columns.count),
              imageAffines[n]?.scale.base, imageAffines[n]?.shift.base, imageAffines[n]?.relu ?? 0, v, ld, tiles, 0,
              Int32(c), lines, isa)
            for xi in 0..<36 {  // M[ξ] (K, tiles) = U[ξ] (K, C) · V[ξ] (C, tiles)
              gemmSerial(
                m: k, n: tiles, k: c, us.base + xi * uPlane, lda: c, v + xi * tiles, ldb: ld, m + xi * tiles, ldc: ld)
            }
            ck_winograd_f43_output(
              m, ld, tiles, Int32(g.outHeight), Int32(g.outWidth), Int32(rows.lowerBound), Int32(rows.upperBound),
              Int32(columns.lowerBound), Int32(columns.count), bs?.base, ys.base + n * k * g.outputPlane,
              accumulate ? 1 : 0, 0, Int32(k), lines, isa)
          }
        }
      }
    }
    return true
  } ?? false
}

/// `count` rounded up to 16 floats (64 bytes).
private func aligned(_ count: Int) -> Int { (count + 15) / 16 * 16 }
