// Shared by the Winograd F(4×4, 3×3) kernels (winograd.c: forward transforms; winograd_gradient.c: the weight
// gradient's): the 1-D transforms, the 8-tile AVX2 deinterleave, the row-kernel types and the instruction-set
// choice.
#ifndef CK_WINOGRAD_H
#define CK_WINOGRAD_H

#include "ck_target.h"

// Bᵀ applied to six values (the input transform).
#define BT_ROW0(d0, d1, d2, d3, d4, d5) (4.0f * (d0) - 5.0f * (d2) + (d4))
#define BT_ROW1(d0, d1, d2, d3, d4, d5) (-4.0f * ((d1) + (d2)) + (d3) + (d4))
#define BT_ROW2(d0, d1, d2, d3, d4, d5) (4.0f * ((d1) - (d2)) - (d3) + (d4))
#define BT_ROW3(d0, d1, d2, d3, d4, d5) (2.0f * ((d3) - (d1)) - (d2) + (d4))
#define BT_ROW4(d0, d1, d2, d3, d4, d5) (2.0f * ((d1) - (d3)) - (d2) + (d4))
#define BT_ROW5(d0, d1, d2, d3, d4, d5) (4.0f * (d1) - 5.0f * (d3) + (d5))
// Aᵀ applied to six values (the output transform).
#define AT_ROW0(m0, m1, m2, m3, m4, m5) ((m0) + (m1) + (m2) + (m3) + (m4))
#define AT_ROW1(m0, m1, m2, m3, m4, m5) ((m1) - (m2) + 2.0f * ((m3) - (m4)))
#define AT_ROW2(m0, m1, m2, m3, m4, m5) ((m1) + (m2) + 4.0f * ((m3) + (m4)))
#define AT_ROW3(m0, m1, m2, m3, m4, m5) ((m1) - (m2) + 8.0f * ((m3) - (m4)) + (m5))
// A applied to four values (A = (Aᵀ)ᵀ, 6×4: the weight gradient's dM = A dy Aᵀ).
#define A_ROW0(d0, d1, d2, d3) (d0)
#define A_ROW1(d0, d1, d2, d3) ((d0) + (d1) + (d2) + (d3))
#define A_ROW2(d0, d1, d2, d3) ((d0) - (d1) + (d2) - (d3))
#define A_ROW3(d0, d1, d2, d3) ((d0) + 2.0f * (d1) + 4.0f * (d2) + 8.0f * (d3))
#define A_ROW4(d0, d1, d2, d3) ((d0) - 2.0f * (d1) + 4.0f * (d2) - 8.0f * (d3))
#define A_ROW5(d0, d1, d2, d3) (d3)

#if CK_X86
#include <immintrin.h>

// Tiles 0..7 of a row as eight lanes: element m of tile l is row[4l + m]. A 4×8 transpose of four loads; the
// lanes come out in tile order 0 2 4 6 1 3 5 7, which every element-wise transform keeps (fixed on store).
#define CK_DEINTERLEAVE4(row, p0, p1, p2, p3)                                                              \
  do {                                                                                                     \
    const __m256 r0_ = _mm256_loadu_ps(row), r1_ = _mm256_loadu_ps((row) + 8);                             \
    const __m256 r2_ = _mm256_loadu_ps((row) + 16), r3_ = _mm256_loadu_ps((row) + 24);                     \
    const __m256 t0_ = _mm256_unpacklo_ps(r0_, r1_), t1_ = _mm256_unpackhi_ps(r0_, r1_);                   \
    const __m256 t2_ = _mm256_unpacklo_ps(r2_, r3_), t3_ = _mm256_unpackhi_ps(r2_, r3_);                   \
    p0 = _mm256_shuffle_ps(t0_, t2_, _MM_SHUFFLE(1, 0, 1, 0));                                             \
    p1 = _mm256_shuffle_ps(t0_, t2_, _MM_SHUFFLE(3, 2, 3, 2));                                             \
    p2 = _mm256_shuffle_ps(t1_, t3_, _MM_SHUFFLE(1, 0, 1, 0));                                             \
    p3 = _mm256_shuffle_ps(t1_, t3_, _MM_SHUFFLE(3, 2, 3, 2));                                             \
  } while (0)
#endif

/// Kernels transformed per run (the weight transform and its gradient gather runs of this many into rows).
#define WEIGHT_RUN 64

/// Instruction sets of the transforms (ck_winograd_f43_best_isa); a caller's request is capped at the best.
/// No AVX-512 path: 16-lane row kernels were measured no faster on Zen 4 (the transforms are bound by their
/// stores, and the 512-bit two-source permutes cost more than AVX2's in-lane shuffles).
enum { CK_WINO_PORTABLE = 0, CK_WINO_AVX2 = 1 };
int ck_winograd_isa(int requested);

/// One row's horizontal transform of tiles [0, tiles_w) as far as the kernel goes; returns the tiles done (the
/// caller finishes the rest in scalar code). NULL for the portable path.
///   input / weight gradient: row (4·tiles_w + 2 or 4·tiles_w floats) → out[j·xi_stride + tw], j = 0..5.
typedef int (*row_kernel)(const float *row, float *out, long xi_stride, int tiles_w);
///   output: the six planes at mi[j·xi_stride + tw] → s[4tw + c], c = 0..3.
typedef int (*output_row_kernel)(const float *mi, long xi_stride, float *s, int tiles_w);


#endif
