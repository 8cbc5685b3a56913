// Winograd F(4×4, 3×3) against float64 references: forward and data gradient over paddings 0–2, output sizes
// that are not multiples of 4, batches, and blocks of one tile row; its error next to the im2col path's. Every
// case runs on each instruction set of the transforms (AVX2 and portable C).

import CKernels
import TestSupport
import Testing

@testable import TensorCore

struct WinogradCase: CustomTestStringConvertible, Sendable {
  var batch: Int, channels: Int, outChannels: Int, height: Int, width: Int, padding: Int
  var testDescription: String { "n\(batch) c\(channels)→\(outChannels) \(height)×\(width) p\(padding)" }
  /// Runs `body` once per instruction set of the transforms (those the CPU lacks are capped to the best).
  func onEachInstructionSet(_ body: (WinogradInstructionSet) -> Void) {
    for isa in WinogradInstructionSet.allCases {
      WinogradPolicy.$instructionSetLimit.withValue(isa) { body(isa) }
    }
  }
  var geometry: ConvGeometry {
    ConvGeometry(channels: channels, height: height, width: width, kernel: 3, padding: padding)
  }
}

let winogradCases: [WinogradCase] = [
  WinogradCase(batch: 1, channels: 16, outChannels: 16, height: 6, width: 6, padding: 0),  // one 4×4 tile
  WinogradCase(batch: 1, channels: 16, outChannels: 16, height: 2, width: 3, padding: 2),  // image smaller than a tile
  WinogradCase(batch: 2, channels: 24, outChannels: 17, height: 11, width: 14, padding: 1),  // ragged tiles
  WinogradCase(batch: 1, channels: 17, outChannels: 32, height: 9, width: 7, padding: 2),
  WinogradCase(batch: 1, channels: 64, outChannels: 48, height: 18, width: 18, padding: 0),
  WinogradCase(batch: 1, channels: 128, outChannels: 128, height: 10, width: 10, padding: 1),  // a residual conv
  // Rows of ≥ 8 tiles take the AVX2 row transforms (8 tiles per step): 11 tiles (8 + 3 scalar), 16 tiles (8 + 8).
  WinogradCase(batch: 1, channels: 16, outChannels: 24, height: 9, width: 42, padding: 1),
  WinogradCase(batch: 2, channels: 20, outChannels: 16, height: 7, width: 66, padding: 0),
  // Large enough for the per-thread pipeline (WinogradPipeline.swift) on two threads: 5 blocks of 2 tile rows.
  WinogradCase(batch: 2, channels: 16, outChannels: 24, height: 34, width: 62, padding: 1),
  // …and wide enough for its blocks to be runs of columns: 3 tile rows × 2 runs of 63 and 62 tiles.
  WinogradCase(batch: 1, channels: 16, outChannels: 24, height: 10, width: 500, padding: 1),
  // Three images side by side in one block (planes), as CycleGAN's joint identity passes give two.
  WinogradCase(batch: 3, channels: 32, outChannels: 32, height: 12, width: 20, padding: 1),
]

/// F(4×4, 3×3) rounds more than a direct sum (transform coefficients up to 8 and 5 cancel): measured relative
/// errors 1.0–7.3·10⁻⁶ for 16–128 channels in the three passes, against 3.5–5.3·10⁻⁷ for im2col + GEMM.
let winogradRelativeBound: Float = 2e-5

/// Largest |a − b| relative to the largest |b|.
func relativeError(_ a: Tensor, _ reference: Tensor) -> Float {
  maxAbsDifference(a, reference) / max(maxAbs(reference), 1e-30)
}

@Suite struct WinogradTests {
  @Test(arguments: winogradCases)
  func forwardMatchesFloat64Reference(_ c: WinogradCase) {
    c.onEachInstructionSet { _ in expectForwardMatchesReference(c) }
  }

  private func expectForwardMatchesReference(_ c: WinogradCase) {
    let g = c.geometry
    #expect(usesWinograd(g, outChannels: c.outChannels))
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 60)
    let w = randomTensor([c.outChannels, c.channels, 3, 3], seed: 61)
    let b = randomTensor([c.outChannels], seed: 62)
    var reference = Tensor(zeros: [c.batch, c.outChannels, g.outHeight, g.outWidth])
    reference.withUnsafeMutableBufferPointer {
      conv2dNaive(
        x.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, bias: b.pointer, $0.baseAddress!)
    }
    let fast = conv2d(x, weight: w, bias: b, ConvOptions(padding: c.padding))
    // The im2col + GEMM path on the same convolution, for scale: F(4×4, 3×3) loses about one decimal digit.
    var columns = Tensor(zeros: reference.shape)
    columns.withUnsafeMutableBufferPointer { y in
      for n in 0..<c.batch {
        let image = x.pointer + n * g.imageSize
        let out = y.baseAddress! + n * c.outChannels * g.outputPlane
        forEachColumnTile(image, g, tileBytes: ColumnTiling.maxBytes) { rows, cols in
          gemm(
            m: c.outChannels, n: rows.count * g.outWidth, k: g.columnRows, w.pointer, lda: g.columnRows, cols,
            ldb: rows.count * g.outWidth, out + rows.lowerBound * g.outWidth, ldc: g.outputPlane)
        }
        addPerChannel(out, channels: c.outChannels, plane: g.outputPlane, b.pointer)
      }
    }
    let error = relativeError(fast, reference)
    let gemmError = relativeError(columns, reference)
    #expect(error < winogradRelativeBound, "Winograd relative error \(error) (im2col \(gemmError))")
    #expect(gemmError < 1e-6)
    // The split over threads (not the pipeline) in one block (channel-major rows from 128 tiles) and in blocks of
    // a single tile row (planes): the same convolution (BLAS may order the sums of narrower GEMMs differently).
    for blockBytes in [WinogradPolicy.blockBytes, 1] {
      var blocked = Tensor(zeros: reference.shape)
      blocked.withUnsafeMutableBufferPointer { y in
        _ = winogradConvolution(
          x.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, bias: b.pointer,
          y.baseAddress!, accumulate: false, blockBytes: blockBytes)
      }
      #expect(relativeError(blocked, reference) < winogradRelativeBound, "blocks of \(blockBytes) B")
    }
  }

  @Test(arguments: winogradCases)
  func dataGradientMatchesFloat64Reference(_ c: WinogradCase) {
    c.onEachInstructionSet { _ in expectDataGradientMatchesReference(c) }
  }

  private func expectDataGradientMatchesReference(_ c: WinogradCase) {
    let g = c.geometry
    let dy = randomTensor([c.batch, c.outChannels, g.outHeight, g.outWidth], seed: 63)
    let w = randomTensor([c.outChannels, c.channels, 3, 3], seed: 64)
    let start = randomTensor([c.batch, c.channels, c.height, c.width], seed: 65)
    // dx[n, c, ih, iw] = start + Σ_k,a,b dy[n, k, ih + p − a, iw + p − b] · w[k, c, a, b], in Double.
    var reference = start
    for n in 0..<c.batch {
      for ch in 0..<c.channels {
        for ih in 0..<c.height {
          for iw in 0..<c.width {
            var s = Double(start[n, ch, ih, iw])
            for k in 0..<c.outChannels {
              for a in 0..<3 {
                for bb in 0..<3 {
                  let oh = ih + c.padding - a
                  let ow = iw + c.padding - bb
                  guard oh >= 0, oh < g.outHeight, ow >= 0, ow < g.outWidth else { continue }
                  s += Double(dy[n, k, oh, ow]) * Double(w[k, ch, a, bb])
                }
              }
            }
            reference[n, ch, ih, iw] = Float(s)
          }
        }
      }
    }
    var fast = start
    fast.withUnsafeMutableBufferPointer {
      conv2dBackwardData(dy.pointer, batch: c.batch, g, weight: w.pointer, outChannels: c.outChannels, $0.baseAddress!)
    }
    let error = relativeError(fast, reference)
    #expect(error < winogradRelativeBound, "Winograd data gradient relative error \(error)")
  }

  @Test(arguments: winogradCases)
  func weightGradientMatchesFloat64Reference(_ c: WinogradCase) {
    c.onEachInstructionSet { _ in expectWeightGradientMatchesReference(c) }
  }

  private func expectWeightGradientMatchesReference(_ c: WinogradCase) {
    let g = c.geometry
    let dy = randomTensor([c.batch, c.outChannels, g.outHeight, g.outWidth], seed: 66)
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 67)
    let start = randomTensor([c.outChannels, c.channels, 3, 3], seed: 68)
    // dw[k, c, a, b] = start + Σ_n,oh,ow dy[n, k, oh, ow] · x[n, c, oh − p + a, ow − p + b], in Double.
    var reference = start
    for k in 0..<c.outChannels {
      for ch in 0..<c.channels {
        for a in 0..<3 {
          for bb in 0..<3 {
            var s = Double(start[k, ch, a, bb])
            for n in 0..<c.batch {
              for oh in 0..<g.outHeight {
                let ih = oh - c.padding + a
                guard ih >= 0, ih < c.height else { continue }
                for ow in 0..<g.outWidth {
                  let iw = ow - c.padding + bb
                  guard iw >= 0, iw < c.width else { continue }
                  s += Double(dy[n, k, oh, ow]) * Double(x[n, ch, ih, iw])
                }
              }
            }
            reference[k, ch, a, bb] = Float(s)
          }
        }
      }
    }
    for blockBytes in [WinogradPolicy.blockBytes, 1] {  // one block, and blocks of one tile row
      var fast = start
      fast.withUnsafeMutableBufferPointer {
        _ = winogradWeightGradient(
          dy.pointer, x.pointer, batch: c.batch, g, outChannels: c.outChannels, $0.baseAddress!,
          blockBytes: blockBytes)
      }
      let error = relativeError(fast, reference)
      #expect(error < winogradRelativeBound, "Winograd weight gradient relative error \(error), blocks \(blockBytes) B")
    }
    // The public entry point takes the same path.
    var viaConv = start
    viaConv.withUnsafeMutableBufferPointer {
      conv2dBackwardWeight(dy.pointer, x.pointer, batch: c.batch, g, outChannels: c.outChannels, $0.baseAddress!)
    }
    #expect(relativeError(viaConv, reference) < winogradRelativeBound)
  }

  @Test func instructionSetLimitCapsTheTransforms() {
    let best = ck_winograd_f43_best_isa()
    #expect(WinogradPolicy.$instructionSetLimit.withValue(.portable) { WinogradPolicy.instructionSet } == 0)
    #expect(WinogradPolicy.$instructionSetLimit.withValue(.avx2) { WinogradPolicy.instructionSet } == min(1, best))
    #expect(WinogradPolicy.instructionSet == best)
  }

  /// Narrow convolutions take the per-thread pipeline (the forward tests' `conv2d`), wide ones the split over
  /// threads (and blockBytes asks for the latter: the forward tests' one-row blocks).
  @Test func narrowConvolutionsArePipelined() {
    let residual = ConvGeometry(channels: 64, height: 64, width: 64, kernel: 3, padding: 1)
    #expect(WinogradTiling.pipelined(residual, outChannels: 64, threads: 2) != nil)
    let wide = ConvGeometry(channels: 256, height: 64, width: 64, kernel: 3, padding: 1)
    #expect(WinogradTiling.pipelined(wide, outChannels: 256, threads: 2) == nil)
    let small = ConvGeometry(channels: 64, height: 32, width: 32, kernel: 3, padding: 1)  // blocks of 16 tiles
    #expect(WinogradTiling.pipelined(small, outChannels: 64, threads: 2) == nil)
    // A wide image: blocks of columns within the budget (35 tiles of 64 + 64 channels), covering every tile once.
    let large = ConvGeometry(channels: 64, height: 512, width: 512, kernel: 3, padding: 1)
    let tiling = WinogradTiling.pipelined(large, outChannels: 64, threads: 2)
    #expect(tiling?.columnsPerBlock == 32 && tiling?.rowsPerBlock == 1)
    let covered = tiling?.blocks.map(\.tiles).reduce(0, +)
    #expect(covered == 128 * 128 && tiling?.blocks.allSatisfy { $0.tiles <= 35 } == true)
    #expect(
      winogradCases.contains {
        let t = WinogradTiling.pipelined($0.geometry, outChannels: $0.outChannels, threads: 2)
        return t.map { $0.columnsPerBlock < $0.tilesWide } ?? false
      })
    #expect(
      winogradCases.contains { WinogradTiling.pipelined($0.geometry, outChannels: $0.outChannels, threads: 2) != nil })
    // …whose split over threads, in one block, has channel-major rows.
    #expect(
      winogradCases.contains {
        WinogradTiling($0.geometry, outChannels: $0.outChannels, blockBytes: 8 << 20).channelMajor
      })
  }

  @Test func smallChannelCountsAndOtherGeometriesKeepIm2col() {
    #expect(!usesWinograd(ConvGeometry(channels: 3, height: 32, width: 32, kernel: 3, padding: 1), outChannels: 64))
    #expect(
      !usesWinograd(
        ConvGeometry(channels: 64, height: 32, width: 32, kernel: 3, stride: 2, padding: 1), outChannels: 64))
    #expect(!usesWinograd(ConvGeometry(channels: 64, height: 32, width: 32, kernel: 3, dilation: 2), outChannels: 64))
    #expect(!usesWinograd(ConvGeometry(channels: 64, height: 32, width: 32, kernel: 4), outChannels: 64))
    #expect(usesWinograd(ConvGeometry(channels: 256, height: 66, width: 66, kernel: 3), outChannels: 256))
  }

  /// Scratch that cannot be allocated (36 planes of 2^40 floats) makes both entry points write nothing and
  /// return false, so that Conv2d.swift takes the im2col path instead of trapping.
  @Test func unavailableScratchLeavesTheOutputUntouched() {
    let huge = 1 << 20
    let g = ConvGeometry(channels: huge, height: 8, width: 8, kernel: 3, padding: 1)
    #expect(usesWinograd(g, outChannels: huge))
    let x = Tensor(repeating: 1, shape: [16])
    let w = Tensor(repeating: 1, shape: [16])
    var y = Tensor(repeating: 7, shape: [16])
    let written = y.withUnsafeMutableBufferPointer {
      winogradConvolution(
        x.pointer, batch: 1, g, weight: w.pointer, outChannels: huge, bias: nil, $0.baseAddress!,
        accumulate: true)
    }
    let accumulated = y.withUnsafeMutableBufferPointer {
      winogradWeightGradient(x.pointer, w.pointer, batch: 1, g, outChannels: huge, $0.baseAddress!)
    }
    #expect(!written && !accumulated)
    #expect(y.scalars.allSatisfy { $0 == 7 })
    #expect(Scratch.withBufferIfAvailable(Int.max / 2) { _ in true } == nil)
  }
}
