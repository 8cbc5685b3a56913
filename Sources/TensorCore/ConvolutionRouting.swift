// Which kernel computes a convolution pass. Conv2d.swift tries, in order, the direct kernel for ≤ 4 output
// channels, Winograd for 3×3 stride-1, the small-channel direct kernels, and im2col + GEMM for the rest; these
// predicates say where each applies and wins. Benchmarks exclude paths to time a layer's alternatives.

import CKernels

/// The ways a convolution pass can be computed.
public enum ConvolutionPath: String, Sendable, CaseIterable {
  /// CKernels/conv_direct.c: ≤ 4 output channels, stride 1.
  case direct
  /// Winograd F(4×4, 3×3): 3×3 stride 1.
  case winograd
  /// CKernels/conv_small.c: ≤ 64 channels on the GEMM's row side.
  case small
  /// im2col + GEMM (col2im for the data gradient): every convolution; the fallback of the others.
  case columns
}

public enum ConvolutionRouting {
  /// Paths not to take on this task (`columns` is always available). For benchmarks: `translate bench convs
  /// --exclude small` times the layers that would take the small kernels on im2col + GEMM instead.
  @TaskLocal public static var excluded: Set<ConvolutionPath> = []
}

/// The direct AVX2 kernel wins where the GEMM has very few rows (BLAS runs a 3-row GEMM at ~5–13 GFLOP/s).
func usesDirectKernel(_ g: ConvGeometry, outChannels: Int) -> Bool {
  outChannels <= 4 && g.stride == 1 && g.dilation == 1 && g.padding == 0 && g.kernel > 1
    && g.outWidth >= 32 && ck_has_avx2_fma() != 0 && !ConvolutionRouting.excluded.contains(.direct)
}

/// The direct kernels of CKernels/conv_small.c (no im2col, no col2im): where the GEMM would have at most 64 rows
/// (output channels) against a very wide column matrix, whose packing and im2col/col2im passes dominated.
/// For the transposed direction `outChannels` is the transposed convolution's: the image side's channels.
func usesSmallKernel(_ g: ConvGeometry, outChannels: Int) -> Bool {
  outChannels <= 64 && g.stride <= 2 && g.dilation == 1 && g.kernel <= 16 && ck_has_avx2_fma() != 0
    && !ConvolutionRouting.excluded.contains(.small)
}

/// The small kernels' weight gradient, where it beats im2col + GEMM: up to 32 output channels. At 64 the GEMM
/// (64 rows, long columns) wins by 25–35% (`translate bench convs --exclude small`, quick generator at 128² and
/// 256²: d64 0.59 → 0.39 ms, u32 0.57 → 0.40 ms at 128²); at 16–32 the small kernel wins by 10–60%.
func usesSmallKernelForWeightGradient(_ g: ConvGeometry, outChannels: Int) -> Bool {
  outChannels <= 32 && usesSmallKernel(g, outChannels: outChannels)
}
