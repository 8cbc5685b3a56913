// Winograd F(4×4, 3×3) for 3×3 stride-1 convolutions (the residual blocks: 88% of a ResNet generator's
// multiply-adds): input tiles and kernels are transformed by the C kernels in CKernels/winograd.c, and the 36
// element-wise products, summed over input channels, are 36 GEMMs through BLAS — 4× fewer multiplies than
// im2col + GEMM. Forward pass, data gradient (the convolution of dy with the flipped kernel) and weight gradient.
// Rounding is about 10× im2col's (the transforms' coefficients up to 8 cancel): 1–7·10⁻⁶ relative measured at
// 16–128 channels, bounded at 2·10⁻⁵ by WinogradTests. All scratch is allocated up front; when it is not
// available the call writes nothing and returns false, and Conv2d.swift takes the im2col path instead.

import CKernels

public enum WinogradPolicy {
  /// Bytes of the transformed input (or output) block: tile rows are processed in blocks so that the 36
  /// planes of a block stay this small whatever the image size.
  public static let blockBytes = 8 << 20
  /// Floats added to every ξ-plane stride: planes a multiple of 4 KB apart would fall into the same cache
  /// sets, and the transforms touch 6 to 36 planes at once (measured: the kernel transform 3× slower).
  static let planePadding = 16
  /// Fewer channels than this on either side and the transforms cost more than the multiplies they save.
  public static let minChannels = 16
  /// Caps the transforms' instruction set for the calling task (tests of the portable path on an AVX2 machine);
  /// nil: the best the CPU has.
  @TaskLocal static var instructionSetLimit: WinogradInstructionSet?
  /// The instruction set the transforms use, read on the calling thread (task-locals do not reach pool threads).
  static var instructionSet: Int32 {
    min(instructionSetLimit?.rawValue ?? Int32.max, ck_winograd_f43_best_isa())
  }
}

/// The instruction sets of the C transforms (CKernels/winograd.c).
enum WinogradInstructionSet: Int32, CaseIterable, Sendable {
  case portable = 0
  case avx2 = 1
}

/// True when the convolution x: (C, H, W) → (K, OH, OW) goes through Winograd F(4×4, 3×3).
func usesWinograd(_ g: ConvGeometry, outChannels: Int) -> Bool {
  g.kernel == 3 && g.stride == 1 && g.dilation == 1 && g.padding <= 2
    && g.channels >= WinogradPolicy.minChannels && outChannels >= WinogradPolicy.minChannels
    && g.outHeight >= 4 && g.outWidth >= 4 && !ConvolutionRouting.excluded.contains(.winograd)
}

/// Transformed kernels U[ξ] (O, I) of weight (O, I, 3, 3), or with `flipped` of weight (I, O, 3, 3) transposed
/// and rotated by 180° (the data gradient's kernel): 36 planes `winogradPlane(o · i)` floats apart.
func winogradKernels(
  _ weight: UnsafePointer<Float>, outChannels o: Int, inChannels i: Int, flipped: Bool,
  _ u: UnsafeMutablePointer<Float>, isa: Int32
) {
  let (ws, us) = (SendablePointer(weight), SendablePointer(u))
  parallelFor(o, grain: max(1, 4096 / i)) { rows in
    ck_winograd_f43_weight(
      ws.base, Int32(o), Int32(i), flipped ? 1 : 0, us.base, winogradPlane(o * i),
      Int32(rows.lowerBound), Int32(rows.upperBound), isa)
  }
}

/// The stride between ξ-planes holding `count` floats each.
func winogradPlane(_ count: Int) -> Int { count + WinogradPolicy.planePadding }

/// The row length of transformed data V (C rows) or M (K rows) of a block of `tiles` tiles. A row holds one
/// channel's 36 ξ-rows back to back, so that a transform writes (or reads) one channel in one region rather than
/// in 36 planes far apart — measured 1.3–2× faster transforms for GEMMs about 5% slower; V[ξ] is then the
/// (C, tiles) matrix at offset ξ·tiles with leading dimension winogradRow(tiles).
func winogradRow(_ tiles: Int) -> Int { 36 * tiles + WinogradPolicy.planePadding }

/// Where V (C channels) or M (K channels) of a block of `tiles` tiles lives: (ξ, channel, tile) at
/// ξ·xiStride + channel·ld + tile. Channel-major rows (`winogradRow`) for blocks of ≥ `minChannelMajorTiles`;
/// smaller blocks keep 36 planes, each V[ξ] contiguous: with rows of only 36·64 floats the GEMMs' strided reads
/// cost more than the transforms save (256 channels at 32², 64-tile blocks: 10–30% slower channel-major).
struct WinogradLayout {
  static let minChannelMajorTiles = 128
  let xiStride: Int, ld: Int

  init(channels: Int, tiles: Int, channelMajor: Bool) {
    (xiStride, ld) = channelMajor ? (tiles, winogradRow(tiles)) : (winogradPlane(channels * tiles), tiles)
  }

  /// Floats of a block in this layout.
  static func floats(channels: Int, tiles: Int, channelMajor: Bool) -> Int {
    channelMajor ? channels * winogradRow(tiles) : 36 * winogradPlane(channels * tiles)
  }
}

extension WinogradTiling {
  /// The layout of this tiling's blocks (chosen on the largest, so that every block has the same).
  var channelMajor: Bool { blockTiles >= WinogradLayout.minChannelMajorTiles }
}

/// Output tiles of a convolution, processed in blocks so that 36 planes of a block's transformed input (C channels)
/// or output (K channels) stay within a budget: blocks of whole tile rows here, narrower ones for the per-thread
/// pipeline on wide images (WinogradPipeline.swift).
struct WinogradTiling {
  let tilesHigh: Int, tilesWide: Int, rowsPerBlock: Int, columnsPerBlock: Int

  init(tilesHigh: Int, tilesWide: Int, rowsPerBlock: Int, columnsPerBlock: Int) {
    (self.tilesHigh, self.tilesWide) = (tilesHigh, tilesWide)
    (self.rowsPerBlock, self.columnsPerBlock) = (rowsPerBlock, columnsPerBlock)
  }

  init(_ g: ConvGeometry, outChannels k: Int, blockBytes: Int) {
    tilesHigh = (g.outHeight + 3) / 4
    tilesWide = (g.outWidth + 3) / 4
    columnsPerBlock = tilesWide
    let bytesPerTileRow = 36 * max(g.channels, k) * tilesWide * MemoryLayout<Float>.size
    // Blocks of equal height: 16 tile rows of which 14 fit would otherwise leave a 2-row block, whose GEMMs are
    // narrow and which streams all of U again for an eighth of the work.
    let fitting = max(1, min(tilesHigh, blockBytes / bytesPerTileRow))
    let blocks = (tilesHigh + fitting - 1) / fitting
    rowsPerBlock = (tilesHigh + blocks - 1) / blocks
  }

  /// Tiles of the largest block.
  var blockTiles: Int { rowsPerBlock * columnsPerBlock }
  /// Images whose tiles share one block (side by side in its GEMMs): when a whole image is one block, as many of
  /// `batch` as fit in `blockBytes` (`bytesPerImage`: of the largest of V and M). Two 32² images of 256 channels
  /// (64 tiles each, a ResNet-9 residual conv at 128², where batches of 2 come from CycleGAN's joint identity
  /// passes) give GEMMs of 128 columns and transform the kernels once.
  func imagesPerBlock(batch: Int, bytesPerImage: Int, blockBytes: Int) -> Int {
    rowsPerBlock < tilesHigh || columnsPerBlock < tilesWide
      ? 1 : max(1, min(batch, blockBytes / max(1, bytesPerImage)))
  }
  /// The blocks, row by row.
  var blocks: [WinogradBlock] {
    stride(from: 0, to: tilesHigh, by: rowsPerBlock).flatMap { row in
      stride(from: 0, to: tilesWide, by: columnsPerBlock).map { column in
        WinogradBlock(
          rows: row..<min(row + rowsPerBlock, tilesHigh), columns: column..<min(column + columnsPerBlock, tilesWide))
      }
    }
  }
}

/// Tile rows and tile columns of one block; its tile (th, tw) is column (th − rows.lowerBound)·columns.count +
/// (tw − columns.lowerBound) of V and M.
struct WinogradBlock {
  let rows: Range<Int>, columns: Range<Int>
  var tiles: Int { rows.count * columns.count }
}

/// The scratch of one Winograd call, carved from one block allocated before any output is written: U (36 planes
/// of K·C), V (C rows) and M (K rows) for the largest tile block, and one line workspace per parallel slot for
/// the C transforms.
struct WinogradWorkspace {
  let u: SendablePointer<Float>, v: SendablePointer<Float>, m: SendablePointer<Float>
  let lines: SendablePointer<Float>, lineFloats: Int, slots: Int
  /// The transforms' instruction set, fixed for the whole call.
  let isa = WinogradPolicy.instructionSet

  /// Floats needed for `slots` parallel slots; each part starts 64-byte aligned.
  static func floats(u: Int, v: Int, m: Int, lineFloats: Int, slots: Int) -> Int {
    [u, v, m, slots * lineFloats].reduce(0) { $0 + aligned($1) }
  }

  init(_ base: UnsafeMutablePointer<Float>, u uFloats: Int, v vFloats: Int, m mFloats: Int, lineFloats: Int, slots: Int)
  {
    u = SendablePointer(base)
    v = SendablePointer(u.base + Self.aligned(uFloats))
    m = SendablePointer(v.base + Self.aligned(vFloats))
    lines = SendablePointer(m.base + Self.aligned(mFloats))
    (self.lineFloats, self.slots) = (lineFloats, slots)
  }

  /// `count` rounded up to 16 floats (64 bytes).
  private static func aligned(_ count: Int) -> Int { (count + 15) / 16 * 16 }

  /// `parallelFor(count, grain:)` whose body also gets its own line workspace (slot t of `slots`).
  func parallelWithLines(_ count: Int, grain: Int, _ body: @Sendable (UnsafeMutablePointer<Float>, Range<Int>) -> Void)
  {
    let chunks = min(slots, max(1, count / max(grain, 1)))
    let (lines, size) = (self.lines, lineFloats)
    parallelFor(chunks) { slots in
      for t in slots where count * t / chunks < count * (t + 1) / chunks {
        body(lines.base + t * size, (count * t / chunks)..<(count * (t + 1) / chunks))
      }
    }
  }

  /// Runs `body` with a workspace for convolution `g` → `k` channels, or returns nil, having written nothing,
  /// when the memory is not available (the caller then takes the im2col path).
  static func with<R>(
    _ g: ConvGeometry, outChannels k: Int, _ tiling: WinogradTiling, images: Int = 1,
    _ body: (WinogradWorkspace) -> R
  ) -> R? {
    let (tiles, major) = (tiling.blockTiles * images, tiling.channelMajor)
    let (u, v, m) = (
      36 * winogradPlane(k * g.channels),
      WinogradLayout.floats(channels: g.channels, tiles: tiles, channelMajor: major),
      WinogradLayout.floats(channels: k, tiles: tiles, channelMajor: major)
    )
    let lineFloats = ck_winograd_f43_line_floats(Int32(tiling.columnsPerBlock))
    let slots = ComputeThreads.count
    let count = floats(u: u, v: v, m: m, lineFloats: lineFloats, slots: slots)
    return Scratch.withBufferIfAvailable(count) { base in
      body(WinogradWorkspace(base, u: u, v: v, m: m, lineFloats: lineFloats, slots: slots))
    }
  }
}

/// V[ξ] (C, tiles) of one block of one image (C, H, W), in `layout` from `v` on (the block's first image at w.v,
/// the next one a block's tiles further). The padding is zero, or with `reflect` PyTorch's ReflectionPad2d (the
/// caller checks padding < H, W); with `normalize`, the image (its C planes of the map) is normalized as it is read.
private func transformInput(
  _ image: UnsafePointer<Float>, _ g: ConvGeometry, reflect: Bool, normalize: ImageAffine?,
  _ block: WinogradBlock, _ w: WinogradWorkspace, into v: UnsafeMutablePointer<Float>, _ layout: WinogradLayout
) {
  let (images, vs, isa) = (SendablePointer(image), SendablePointer(v), w.isa)
  w.parallelWithLines(g.channels, grain: 8) { lines, channels in
    ck_winograd_f43_input(
      images.base, Int32(g.height), Int32(g.width), Int32(g.padding), reflect ? 1 : 0, Int32(block.rows.lowerBound),
      Int32(block.rows.upperBound), Int32(block.columns.lowerBound), Int32(block.columns.count),
      normalize?.scale.base, normalize?.shift.base, normalize?.relu ?? 0, vs.base, layout.ld, layout.xiStride,
      Int32(channels.lowerBound), Int32(channels.upperBound), lines, isa)
  }
}

/// y = conv2d(x, weight) (+ bias) for x: (N, C, H, W) with zero padding `g.padding` (or with `reflect`, reflection
/// padding: the caller checks g.padding < H, W) → y: (N, K, OH, OW), weight (K, C, 3, 3) or, with `flipped`, the
/// data gradient's kernel taken from weight (C, K, 3, 3). Overwrites y, or adds to it with `accumulate` (bias then
/// ignored). Returns false, with y untouched, when its scratch memory is not available. Narrow convolutions run
/// as a per-thread pipeline (WinogradPipeline.swift) unless `blockBytes` asks for this path's blocks of that size.
func winogradConvolution(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, reflect: Bool = false,
  normalize: NormalizationAffine? = nil, weight: UnsafePointer<Float>, flipped: Bool = false, outChannels: Int,
  bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, accumulate: Bool, blockBytes: Int? = nil
) -> Bool {
  let (c, k) = (g.channels, outChannels)
  if blockBytes == nil, let pipelined = WinogradTiling.pipelined(g, outChannels: k, threads: ComputeThreads.count) {
    return winogradPipelineConvolution(
      x, batch: batch, g, reflect: reflect, normalize: normalize, weight: weight, flipped: flipped, outChannels: k,
      bias: bias, y, accumulate: accumulate, pipelined)
  }
  let tiling = WinogradTiling(g, outChannels: k, blockBytes: blockBytes ?? WinogradPolicy.blockBytes)
  let images = tiling.imagesPerBlock(
    batch: batch, bytesPerImage: 36 * max(c, k) * tiling.blockTiles * MemoryLayout<Float>.size,
    blockBytes: blockBytes ?? WinogradPolicy.blockBytes)
  let uPlane = winogradPlane(k * c)
  return WinogradWorkspace.with(g, outChannels: k, tiling, images: images) { w in
    winogradKernels(weight, outChannels: k, inChannels: c, flipped: flipped, w.u.base, isa: w.isa)
    let (us, vs, ms, isa) = (w.u, w.v, w.m, w.isa)
    let bs = bias.map { SendablePointer($0) }
    NormalizationAffine.perImage(normalize, batch: batch, channels: c) { imageAffines in
      for first in stride(from: 0, to: batch, by: images) {
        let group = first..<min(first + images, batch)
        for block in tiling.blocks {
          let tiles = block.tiles  // of one image; the GEMMs take the group's side by side
          let vl = WinogradLayout(channels: c, tiles: tiles * group.count, channelMajor: tiling.channelMajor)
          let ml = WinogradLayout(channels: k, tiles: tiles * group.count, channelMajor: tiling.channelMajor)
          for n in group {
            transformInput(
              x + n * g.imageSize, g, reflect: reflect, normalize: imageAffines[n], block, w,
              into: vs.base + (n - first) * tiles, vl)
          }
          parallelFor(36) { planes in  // M[ξ] (K, tiles) = U[ξ] (K, C) · V[ξ] (C, tiles), a GEMM per ξ
            for xi in planes {
              gemmSerial(
                m: k, n: tiles * group.count, k: c, us.base + xi * uPlane, lda: c, vs.base + xi * vl.xiStride,
                ldb: vl.ld, ms.base + xi * ml.xiStride, ldc: ml.ld)
            }
          }
          for n in group {
            let (out, m) = (SendablePointer(y + n * k * g.outputPlane), SendablePointer(ms.base + (n - first) * tiles))
            w.parallelWithLines(k, grain: 8) { lines, channels in
              ck_winograd_f43_output(
                m.base, ml.ld, ml.xiStride, Int32(g.outHeight), Int32(g.outWidth), Int32(block.rows.lowerBound),
                Int32(block.rows.upperBound), Int32(block.columns.lowerBound), Int32(block.columns.count), bs?.base,
                out.base, accumulate ? 1 : 0, Int32(channels.lowerBound), Int32(channels.upperBound), lines, isa)
            }
          }
        }
      }
    }
    return true
  } ?? false
}

/// dWeight += ∂/∂weight of the convolution for upstream dy: (N, K, OH, OW), x: (N, C, H, W) → (K, C, 3, 3).
/// dU[ξ] (K, C) = Σ over images and tile blocks of dM[ξ] (K, tiles) · V[ξ]ᵀ (tiles, C), then dw += Gᵀ dU G.
/// Returns false, with dWeight untouched, when its scratch memory is not available.
func winogradWeightGradient(
  _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, outChannels: Int,
  _ dWeight: UnsafeMutablePointer<Float>, blockBytes: Int = WinogradPolicy.blockBytes
) -> Bool {
  guard batch > 0 else { return true }  // no GEMM would initialize dU
  let (c, k) = (g.channels, outChannels)
  let tiling = WinogradTiling(g, outChannels: k, blockBytes: blockBytes)
  let images = tiling.imagesPerBlock(
    batch: batch, bytesPerImage: 36 * max(c, k) * tiling.blockTiles * MemoryLayout<Float>.size,
    blockBytes: blockBytes)
  let uPlane = winogradPlane(k * c)
  return WinogradWorkspace.with(g, outChannels: k, tiling, images: images) { w in
    let (vs, ms, dus, isa) = (w.v, w.m, w.u, w.isa)
    var beta: Float = 0  // the first GEMM into dU overwrites, the others accumulate
    for first in stride(from: 0, to: batch, by: images) {
      let group = first..<min(first + images, batch)
      for block in tiling.blocks {  // whole tile rows: ck_winograd_f43_output_grad reads full rows of dy
        let tiles = block.tiles  // of one image; the GEMMs take the group's side by side
        let vl = WinogradLayout(channels: c, tiles: tiles * group.count, channelMajor: tiling.channelMajor)
        let ml = WinogradLayout(channels: k, tiles: tiles * group.count, channelMajor: tiling.channelMajor)
        for n in group {
          let (grad, m) = (SendablePointer(dy + n * k * g.outputPlane), SendablePointer(ms.base + (n - first) * tiles))
          transformInput(
            x + n * g.imageSize, g, reflect: false, normalize: nil, block, w, into: vs.base + (n - first) * tiles, vl)
          w.parallelWithLines(k, grain: 8) { lines, channels in
            ck_winograd_f43_output_grad(
              grad.base, Int32(g.outHeight), Int32(g.outWidth), Int32(block.rows.lowerBound),
              Int32(block.rows.upperBound), Int32(tiling.tilesWide), m.base, ml.ld, ml.xiStride,
              Int32(channels.lowerBound), Int32(channels.upperBound), lines, isa)
          }
        }
        parallelFor(36) { [beta] planes in  // dU[ξ] (K, C) += dM[ξ] (K, tiles) · V[ξ]ᵀ (tiles, C)
          for xi in planes {
            gemmSerial(
              transB: true, m: k, n: c, k: tiles * group.count, ms.base + xi * ml.xiStride, lda: ml.ld,
              vs.base + xi * vl.xiStride, ldb: vl.ld, beta: beta, dus.base + xi * uPlane, ldc: c)
          }
        }
        beta = 1
      }
    }
    let dws = SendablePointer(dWeight)
    parallelFor(k, grain: max(1, 4096 / c)) { rows in
      ck_winograd_f43_weight_grad(
        dus.base, uPlane, Int32(k), Int32(c), dws.base, Int32(rows.lowerBound),
        Int32(rows.upperBound), isa)
    }
    return true
  } ?? false
}
