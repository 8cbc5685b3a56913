// C kernels that need AVX2/FMA. Each is compiled with __attribute__((target("avx2,fma"))) and is only
// called after ck_has_avx2_fma() returned 1; no build flags are needed and the library stays portable.
#ifndef CKERNELS_H
#define CKERNELS_H

#include "ck_activations.h"
#include "ck_optimizers.h"
#include "ck_pool.h"

/// 1 when the CPU supports AVX2 and FMA (checked once at run time).
int ck_has_avx2_fma(void);

/// 1 when the CPU supports the AVX-512 subsets OpenBLAS's SkylakeX kernels use (F, CD, BW, DQ, VL).
int ck_has_avx512_skylakex(void);

/// Direct convolution, stride 1, dilation 1, no padding, few output channels (1 ≤ K ≤ 4): the 7×7 conv of a
/// generator's last layer, which as a GEMM has K rows and runs at a fraction of BLAS speed.
/// x: (C, H, W), w: (K, C, k, k), bias: (K) or NULL → y: (K, OH, OW) with OH = H − k + 1, OW = W − k + 1.
/// Writes output rows [row_begin, row_end) of every output channel (overwrites them).
void ck_conv2d_direct_forward(const float *x, int C, int H, int W, const float *w, const float *bias, int K,
                              int k, float *y, int row_begin, int row_end);

/// Weight gradient of the same direct convolution, for input channels [c_begin, c_end):
/// dy: (K, OH, OW), x: (C, H, W) → dw: (K, C, k, k), accumulated (+=).
void ck_conv2d_direct_backward_weight(const float *dy, const float *x, int C, int H, int W, int K, int k, float *dw,
                                      int c_begin, int c_end);

/// Image side (C, H, W) and column side (C·k·k, OH·OW) of a convolution (see TensorCore/ConvGeometry.swift).
typedef struct {
  int channels, height, width, kernel, stride, padding, dilation, out_height, out_width;
} ck_conv_geometry;

/// im2col for output rows [oh_begin, oh_end) and column rows [r_begin, r_end):
/// image (C, H, W) → columns (C·k·k, (oh_end − oh_begin)·OW). Overwrites those column rows.
void ck_im2col(const float *image, const ck_conv_geometry *g, int oh_begin, int oh_end, int r_begin, int r_end,
               float *columns);

/// col2im for output rows [oh_begin, oh_end) into channels [c_begin, c_end): accumulates (+=) into image.
void ck_col2im(const float *columns, const ck_conv_geometry *g, int oh_begin, int oh_end, int c_begin, int c_end,
               float *image);

/// Winograd F(4×4, 3×3) (winograd.c). A 3×3 stride-1 convolution with padding `pad` of one image
/// (C, H, W) → (K, OH, OW), OH = H + 2·pad − 2, is covered by ⌈OH/4⌉ × tiles_w output tiles of 4×4
/// (tiles_w = ⌈OW/4⌉). Transformed data live in 36 planes ξ = 6i + j, xi_stride
/// floats apart: V[ξ] (C, T), U[ξ] (K, C), M[ξ] = U[ξ]·V[ξ] (K, T); a row of V or M is ldv / ldm floats long.
/// Only the block of tile rows [th_begin, th_end) and tile columns [tw_begin, tw_begin + tiles_w) is transformed;
/// its tile (th, tw) is column (th − th_begin)·tiles_w + (tw − tw_begin).
/// The transforms allocate nothing: each call gets `lines`, a workspace of ck_winograd_f43_line_floats(tiles_w)
/// floats of its own (one per thread), so that the caller can allocate everything before any output is written.
/// `isa` picks the instruction set (0 portable, 1 AVX2/FMA), capped at ck_winograd_f43_best_isa(); both give
/// the same results within rounding (the order of the sums is the same, FMA contraction is not).
long ck_winograd_f43_line_floats(int tiles_w);

/// The best instruction set of the transforms on this CPU (see `isa` above).
int ck_winograd_f43_best_isa(void);

/// Input transform of channels [c_begin, c_end): x (C, H, W) → V. Padding is zero, or with `reflect` the mirror
/// image without the edge (PyTorch's ReflectionPad2d; needs pad < H and pad < W). With `scale` (C) and `shift`
/// (C), x is normalized as it is read: channel c becomes ck_scale_shift(x_c, scale[c], shift[c], relu), and the
/// padding is taken from the normalized image; NULL: x as it is.
void ck_winograd_f43_input(const float *x, int H, int W, int pad, int reflect, int th_begin, int th_end,
                           int tw_begin, int tiles_w, const float *scale, const float *shift, int relu, float *v,
                           long ldv, long xi_stride, int c_begin, int c_end, float *lines, int isa);

/// Output transform of channels [k_begin, k_end): M → y (K, OH, OW), plus bias (K) or NULL; with
/// `accumulate` the result is added to y (and bias ignored).
void ck_winograd_f43_output(const float *m, long ldm, long xi_stride, int OH, int OW, int th_begin, int th_end,
                            int tw_begin, int tiles_w, const float *bias, float *y, int accumulate, int k_begin,
                            int k_end, float *lines, int isa);

/// Kernel transform of output channels [o_begin, o_end): U[ξ][o][i] (planes xi_stride ≥ O·I apart) from
/// w (O, I, 3, 3), or with `flipped` from w (I, O, 3, 3) transposed and rotated by 180° (the kernel of the
/// data gradient).
void ck_winograd_f43_weight(const float *w, int O, int I, int flipped, float *u, long xi_stride, int o_begin,
                            int o_end, int isa);

/// Weight gradient, step 1: dM = A dy Aᵀ per tile for channels [k_begin, k_end) of dy (K, OH, OW), into the
/// layout of M (tile rows [th_begin, th_end), zeros beyond OH and OW).
void ck_winograd_f43_output_grad(const float *dy, int OH, int OW, int th_begin, int th_end, int tiles_w, float *m,
                                 long ldm, long xi_stride, int k_begin, int k_end, float *lines, int isa);

/// Weight gradient, last step: dw[o][i] += Gᵀ dU[ξ][o][i] G for o in [o_begin, o_end); dU in planes xi_stride
/// apart (the caller's GEMMs dU[ξ] = Σ_blocks dM[ξ] · V[ξ]ᵀ), dw (O, I, 3, 3).
void ck_winograd_f43_weight_grad(const float *du, long xi_stride, int O, int I, float *dw, int o_begin, int o_end,
                                 int isa);

/// Σ x[i] over n floats (reduce.c): float lanes flushed to double every 4096 elements.
double ck_sum(const float *x, long n);

/// Σ (x[i] − center)² over n floats, accumulated as ck_sum.
double ck_sum_squared_deviations(const float *x, long n, float center);

/// Σ a[i]·(x[i] − center) over n floats, accumulated as ck_sum.
double ck_dot_centered(const float *a, const float *x, long n, float center);

/// Mean and Σ (x[i] − mean)² of n ≥ 1 floats in one pass over memory: each run of 4096 floats is summed, then its
/// squared deviations from its own mean are summed while it is still in L1, and the runs are combined in double
/// (Chan, Golub & LeVeque 1979).
void ck_moments(const float *x, long n, double *mean, double *m2);

/// Direct convolution for few output channels (conv_small.c): x (C, H, W), w (K, C, k, k), bias (K) or NULL →
/// y (K, OH, OW), stride 1 or 2 (any s works), zero padding `pad`, k ≤ 64, no dilation. Writes output rows
/// [row_begin, row_end) of every channel; with `accumulate` adds to y and ignores bias. Returns 0, or < 0 when
/// its scratch could not be allocated (nothing written for the rows not yet done).
int ck_conv2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k, int stride,
                    int pad, int OH, int OW, float *y, int accumulate, int row_begin, int row_end);

/// How ck_conv2d_small_mapped reads its input: with `reflect` the padding mirrors the image without the edge
/// (PyTorch's ReflectionPad2d; needs pad < H and pad < W) instead of zeros; with `scale` and `shift` (C floats
/// each) channel c is first normalized, ck_scale_shift(x_c, scale[c], shift[c], relu), and the padding taken from
/// the normalized image (zero padding stays zero).
typedef struct {
  int reflect;
  const float *scale, *shift;
  int relu;
} ck_input_map;

/// ck_conv2d_small on the input as `map` reads it (NULL: as ck_conv2d_small). At inference a normalization,
/// its ReLU and a reflection pad before the convolution then write no tensor of their own.
int ck_conv2d_small_mapped(const float *x, int C, int H, int W, const ck_input_map *map, const float *w,
                           const float *bias, int K, int k, int stride, int pad, int OH, int OW, float *y,
                           int accumulate, int row_begin, int row_end);

/// Weight gradient of ck_conv2d_small over output rows [row_begin, row_end): dy (K, OH, OW), x (C, H, W) →
/// dw (K, C, k, k), accumulated (+=). Returns 0, or < 0 when its scratch could not be allocated.
int ck_conv2d_small_backward_weight(const float *dy, const float *x, int C, int H, int W, int K, int k, int stride,
                                    int pad, int OH, int OW, float *dw, int row_begin, int row_end);

/// Transposed convolution as stride² sub-pixel convolutions (conv_small.c): x (C, H, W), w (C, K, k, k) (PyTorch's
/// IOHW), bias (K) or NULL → y (K, OH, OW), OH given (oy = s·iy − pad + ki; rows past the input's reach get
/// bias only), stride ≤ 4. Output rows [row_begin, row_end); `accumulate` and the result as ck_conv2d_small.
int ck_conv_transpose2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k,
                              int stride, int pad, int OH, int OW, float *y, int accumulate, int row_begin,
                              int row_end);

#endif
