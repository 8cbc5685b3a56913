// Winograd F(4×4, 3×3) for 3×3 stride-1 convolutions (the residual blocks: 88% of a ResNet generator's
// multiply-adds): input tiles and kernels are transformed by the C kernels in CKernels/winograd.c, and the 36
// element-wise products, summed over input channels, are 36 GEMMs through BLAS — 4× fewer multiplies than
// im2col + GEMM. Forward pass, data gradient (the convolution of dy with the flipped kernel) and weight gradient.
// Rounding is about 10× im2col's (the transforms' coefficients up to 8 cancel): 1–7·10⁻⁶ relative measured at
// 16–128 channels, bounded at 2·10⁻⁵ by WinogradTests.

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
}

/// True when the convolution x: (C, H, W) → (K, OH, OW) goes through Winograd F(4×4, 3×3).
func usesWinograd(_ g: ConvGeometry, outChannels: Int) -> Bool {
  g.kernel == 3 && g.stride == 1 && g.dilation == 1 && g.padding <= 2
    && g.channels >= WinogradPolicy.minChannels && outChannels >= WinogradPolicy.minChannels
    && g.outHeight >= 4 && g.outWidth >= 4
}

/// Transformed kernels U[ξ] (O, I) of weight (O, I, 3, 3), or with `flipped` of weight (I, O, 3, 3) transposed
/// and rotated by 180° (the data gradient's kernel): planes `winogradPlane(o · i)` floats apart.
func winogradKernels(_ weight: UnsafePointer<Float>, outChannels o: Int, inChannels i: Int, flipped: Bool,
                     _ u: UnsafeMutablePointer<Float>) {
  let (ws, us) = (SendablePointer(weight), SendablePointer(u))
  parallelFor(o, grain: max(1, 4096 / i)) { rows in
    ck_winograd_f43_weight(ws.base, Int32(o), Int32(i), flipped ? 1 : 0, us.base, winogradPlane(o * i), Int32(rows.lowerBound),
                           Int32(rows.upperBound))
  }
}

/// The stride between ξ-planes holding `count` floats each.
func winogradPlane(_ count: Int) -> Int { count + WinogradPolicy.planePadding }

/// Floats of a transformed kernel (36 padded planes of O·I).
func winogradKernelsCount(outChannels o: Int, inChannels i: Int) -> Int { 36 * winogradPlane(o * i) }

/// y = conv2d(x, kernels) (+ bias) for x: (N, C, H, W) with zero padding `g.padding` → y: (N, K, OH, OW), the
/// kernels given transformed (`winogradKernels`, `winogradKernelsCount` floats). Overwrites y, or adds to it with `accumulate`
/// (bias then ignored).
func winogradConvolution(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, kernels u: UnsafePointer<Float>, outChannels: Int,
  bias: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, accumulate: Bool,
  blockBytes: Int = WinogradPolicy.blockBytes
) {
  let (c, k) = (g.channels, outChannels)
  let tilesHigh = (g.outHeight + 3) / 4, tilesWide = (g.outWidth + 3) / 4
  let bytesPerTileRow = 36 * max(c, k) * tilesWide * MemoryLayout<Float>.size
  let rowsPerBlock = max(1, min(tilesHigh, blockBytes / bytesPerTileRow))
  let blockTiles = rowsPerBlock * tilesWide
  Scratch.withBuffer(36 * winogradPlane(c * blockTiles)) { v in
    Scratch.withBuffer(36 * winogradPlane(k * blockTiles)) { m in
      let (vs, ms, ys) = (SendablePointer(v), SendablePointer(m), SendablePointer(y))
      let bs = bias.map { SendablePointer($0) }
      for n in 0..<batch {
        let image = SendablePointer(x + n * g.imageSize), out = ys.base + n * k * g.outputPlane
        let outs = SendablePointer(out)
        for first in stride(from: 0, to: tilesHigh, by: rowsPerBlock) {
          let last = min(first + rowsPerBlock, tilesHigh)
          let tiles = (last - first) * tilesWide
          // V[ξ] (C, tiles), a plane every C·tiles floats.
          parallelFor(c, grain: 8) { channels in
            let status = ck_winograd_f43_input(
              image.base, Int32(g.height), Int32(g.width), Int32(g.padding), Int32(first), Int32(last),
              Int32(tilesWide), vs.base, tiles, winogradPlane(c * tiles), Int32(channels.lowerBound), Int32(channels.upperBound))
            precondition(status == 0, "Winograd input transform: out of memory")
          }
          let (uPlane, vPlane, mPlane) = (winogradPlane(k * c), winogradPlane(c * tiles), winogradPlane(k * tiles))
          let us = SendablePointer(u)
          parallelFor(36) { planes in  // M[ξ] (K, tiles) = U[ξ] (K, C) · V[ξ] (C, tiles), a plane per GEMM
            for xi in planes {
              gemmSerial(m: k, n: tiles, k: c, us.base + xi * uPlane, lda: c, vs.base + xi * vPlane, ldb: tiles,
                         ms.base + xi * mPlane, ldc: tiles)
            }
          }
          parallelFor(k, grain: 8) { channels in
            let status = ck_winograd_f43_output(
              ms.base, tiles, winogradPlane(k * tiles), Int32(g.outHeight), Int32(g.outWidth), Int32(first), Int32(last),
              Int32(tilesWide), bs?.base, outs.base, accumulate ? 1 : 0, Int32(channels.lowerBound),
              Int32(channels.upperBound))
            precondition(status == 0, "Winograd output transform: out of memory")
          }
        }
      }
    }
  }
}

/// dWeight += ∂/∂weight of the convolution for upstream dy: (N, K, OH, OW), x: (N, C, H, W) → (K, C, 3, 3).
/// dU[ξ] (K, C) = Σ over images and tile blocks of dM[ξ] (K, tiles) · V[ξ]ᵀ (tiles, C), then dw += Gᵀ dU G.
func winogradWeightGradient(
  _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, outChannels: Int,
  _ dWeight: UnsafeMutablePointer<Float>, blockBytes: Int = WinogradPolicy.blockBytes
) {
  guard batch > 0 else { return }  // no GEMM would initialize dU
  let (c, k) = (g.channels, outChannels)
  let tilesHigh = (g.outHeight + 3) / 4, tilesWide = (g.outWidth + 3) / 4
  let bytesPerTileRow = 36 * max(c, k) * tilesWide * MemoryLayout<Float>.size
  let rowsPerBlock = max(1, min(tilesHigh, blockBytes / bytesPerTileRow))
  let blockTiles = rowsPerBlock * tilesWide
  let uPlane = winogradPlane(k * c)
  Scratch.withBuffer(36 * winogradPlane(c * blockTiles)) { v in
    Scratch.withBuffer(36 * winogradPlane(k * blockTiles)) { m in
      Scratch.withBuffer(36 * uPlane) { du in
        let (vs, ms, dus) = (SendablePointer(v), SendablePointer(m), SendablePointer(du))
        var first = true
        for n in 0..<batch {
          let image = SendablePointer(x + n * g.imageSize), grad = SendablePointer(dy + n * k * g.outputPlane)
          for top in stride(from: 0, to: tilesHigh, by: rowsPerBlock) {
            let bottom = min(top + rowsPerBlock, tilesHigh)
            let tiles = (bottom - top) * tilesWide
            let (vPlane, mPlane) = (winogradPlane(c * tiles), winogradPlane(k * tiles))
            parallelFor(c, grain: 8) { channels in
              let status = ck_winograd_f43_input(
                image.base, Int32(g.height), Int32(g.width), Int32(g.padding), Int32(top), Int32(bottom),
                Int32(tilesWide), vs.base, tiles, vPlane, Int32(channels.lowerBound), Int32(channels.upperBound))
              precondition(status == 0, "Winograd input transform: out of memory")
            }
            parallelFor(k, grain: 8) { channels in
              let status = ck_winograd_f43_output_grad(
                grad.base, Int32(g.outHeight), Int32(g.outWidth), Int32(top), Int32(bottom), Int32(tilesWide), ms.base,
                tiles, mPlane, Int32(channels.lowerBound), Int32(channels.upperBound))
              precondition(status == 0, "Winograd gradient transform: out of memory")
            }
            let beta: Float = first ? 0 : 1
            parallelFor(36) { planes in  // dU[ξ] (K, C) += dM[ξ] (K, tiles) · V[ξ]ᵀ (tiles, C)
              for xi in planes {
                gemmSerial(transB: true, m: k, n: c, k: tiles, ms.base + xi * mPlane, lda: tiles, vs.base + xi * vPlane,
                           ldb: tiles, beta: beta, dus.base + xi * uPlane, ldc: c)
              }
            }
            first = false
          }
        }
        let dws = SendablePointer(dWeight)
        parallelFor(k, grain: max(1, 4096 / c)) { rows in
          ck_winograd_f43_weight_grad(dus.base, uPlane, Int32(k), Int32(c), dws.base, Int32(rows.lowerBound),
                                      Int32(rows.upperBound))
        }
      }
    }
  }
}
