// Shared by the Winograd F(4×4, 3×3) kernels (winograd.c: forward transforms; winograd_gradient.c: the weight
// gradient's): the 8-tile AVX2 deinterleave and the row-kernel type.
#ifndef CK_WINOGRAD_H
#define CK_WINOGRAD_H

#include "ck_target.h"

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

/// One row's horizontal transform of as many whole blocks of 8 tiles as fit; returns the tiles done (the
/// caller finishes the rest in scalar code). NULL where AVX2 is not compiled in.
typedef int (*row_kernel)(const float *row, float *out, long xi_stride, int tiles_w);

#endif
