// C kernels that need AVX2/FMA. Each is compiled with __attribute__((target("avx2,fma"))) and is only
// called after ck_has_avx2_fma() returned 1; no build flags are needed and the library stays portable.
#ifndef CKERNELS_H
#define CKERNELS_H

/// 1 when the CPU supports AVX2 and FMA (checked once at run time).
int ck_has_avx2_fma(void);

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

#endif
