// The weight gradient of Winograd F(4×4, 3×3) (see winograd.c): the forward transforms run backwards.
#include "ckernels.h"
#include "winograd.h"
#include <stdlib.h>
#include <string.h>

// The weight gradient runs the forward transforms backwards: with y_t = Aᵀ M_t A per tile and M = U ⊙ V,
//   dM_t = A dy_t Aᵀ,   dU = Σ_t dM_t ⊙ V_t (a GEMM per ξ, by the caller),   dg = Gᵀ dU G.
// dst[j·stride] = (A d)[j] for j = 0..5.
#define A_STORE(dst, stride, d0, d1, d2, d3)                                                                \
  do {                                                                                                     \
    (dst)[0] = A_ROW0(d0, d1, d2, d3);                                                                     \
    (dst)[(stride)] = A_ROW1(d0, d1, d2, d3);                                                              \
    (dst)[2 * (stride)] = A_ROW2(d0, d1, d2, d3);                                                          \
    (dst)[3 * (stride)] = A_ROW3(d0, d1, d2, d3);                                                          \
    (dst)[4 * (stride)] = A_ROW4(d0, d1, d2, d3);                                                          \
    (dst)[5 * (stride)] = A_ROW5(d0, d1, d2, d3);                                                          \
  } while (0)

#if CK_X86
// Horizontal step of dM = A dy Aᵀ for tiles [0, 8·⌊tiles_w/8⌋) of one row: out[j·xi_stride + tw]. Returns tiles done.
CK_AVX2 static int grad_row_avx2(const float *row, float *out, long xi_stride, int tiles_w) {
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  int tw = 0;
  for (; tw + 8 <= tiles_w; tw += 8) {
    __m256 d0, d1, d2, d3;
    CK_DEINTERLEAVE4(row + 4 * tw, d0, d1, d2, d3);
    _mm256_storeu_ps(out + tw, _mm256_permutevar8x32_ps(A_ROW0(d0, d1, d2, d3), order));
    _mm256_storeu_ps(out + xi_stride + tw, _mm256_permutevar8x32_ps(A_ROW1(d0, d1, d2, d3), order));
    _mm256_storeu_ps(out + 2 * xi_stride + tw, _mm256_permutevar8x32_ps(A_ROW2(d0, d1, d2, d3), order));
    _mm256_storeu_ps(out + 3 * xi_stride + tw, _mm256_permutevar8x32_ps(A_ROW3(d0, d1, d2, d3), order));
    _mm256_storeu_ps(out + 4 * xi_stride + tw, _mm256_permutevar8x32_ps(A_ROW4(d0, d1, d2, d3), order));
    _mm256_storeu_ps(out + 5 * xi_stride + tw, _mm256_permutevar8x32_ps(A_ROW5(d0, d1, d2, d3), order));
  }
  return tw;
}
#endif

// dM = A dy Aᵀ for channels [k_begin, k_end) of dy (K, OH, OW): the same planes as M (zero beyond OH, OW). The
// vertical pass reads the four rows of dy in place (rows past OH from a zero row).
__attribute__((always_inline)) static inline void
output_grad_impl(const float *dy, int OH, int OW, int th_begin, int th_end, int tiles_w, float *m, long ldm,
                 long xi_stride, int k_begin, int k_end, float *lines, row_kernel simd_row) {
  const int span = tiles_w * 4;
  float *restrict t = lines;  // 6 rows of A·dy
  float *zeros = lines + 6 * span;
  memset(zeros, 0, sizeof(float) * span);
  for (int k = k_begin; k < k_end; k++) {
    const float *plane = dy + (long)k * OH * OW;
    for (int th = th_begin; th < th_end; th++) {
      const int oh = th * 4;
      const float *restrict i0 = plane + (long)oh * OW;
      const float *restrict i1 = oh + 1 < OH ? i0 + OW : zeros;
      const float *restrict i2 = oh + 2 < OH ? i0 + 2 * OW : zeros;
      const float *restrict i3 = oh + 3 < OH ? i0 + 3 * OW : zeros;
      for (int q = 0; q < OW; q++) {  // vertical: t[i][q] = Σ_r A[i][r] dy[r][q]
        A_STORE(t + q, span, i0[q], i1[q], i2[q], i3[q]);
      }
      for (int i = 0; i < 6; i++) {  // columns past OW: zero
        for (int q = OW; q < span; q++) t[i * span + q] = 0.0f;
      }
      for (int i = 0; i < 6; i++) {  // horizontal: dM[i][j] = Σ_c t[i][4tw + c] A[j][c]
        const float *row = t + i * span;
        float *out = m + (long)(i * 6) * xi_stride + (long)k * ldm + (long)(th - th_begin) * tiles_w;
        for (int tw = simd_row ? simd_row(row, out, xi_stride, tiles_w) : 0; tw < tiles_w; tw++) {
          const float *d = row + 4 * tw;
          A_STORE(out + tw, xi_stride, d[0], d[1], d[2], d[3]);
        }
      }
    }
  }
}

// Gᵀ applied to six values (Gᵀ, 3×6: rows (1/4 −1/6 −1/6 1/24 1/24 0), (0 −1/6 1/6 1/12 −1/12 0),
// (0 −1/6 −1/6 1/6 1/6 1)).
#define GT_ROW0(u0, u1, u2, u3, u4, u5) (0.25f * (u0) - (1.0f / 6) * ((u1) + (u2)) + (1.0f / 24) * ((u3) + (u4)))
#define GT_ROW1(u0, u1, u2, u3, u4, u5) ((1.0f / 6) * ((u2) - (u1)) + (1.0f / 12) * ((u3) - (u4)))
#define GT_ROW2(u0, u1, u2, u3, u4, u5) ((-1.0f / 6) * ((u1) + (u2)) + (1.0f / 6) * ((u3) + (u4)) + (u5))

// dw[o][i] += Gᵀ dU[o][i] G for o in [o_begin, o_end), all i; dU planes xi_stride apart, dw (O, I, 3, 3).
__attribute__((always_inline)) static inline void
weight_grad_impl(const float *du, long xi_stride, int O, int I, float *dw, int o_begin, int o_end) {
  float h[6][3][WEIGHT_RUN];  // h[ξ-row i][b] = (dU G)[i][b]
  for (int o = o_begin; o < o_end; o++) {
    for (int i0 = 0; i0 < I; i0 += WEIGHT_RUN) {
      const int n = I - i0 < WEIGHT_RUN ? I - i0 : WEIGHT_RUN;
      const float *src = du + (long)o * I + i0;
      for (int i = 0; i < 6; i++) {
        const float *u0 = src + (long)(i * 6) * xi_stride, *u1 = u0 + xi_stride, *u2 = u1 + xi_stride,
                    *u3 = u2 + xi_stride, *u4 = u3 + xi_stride, *u5 = u4 + xi_stride;
        for (int j = 0; j < n; j++) {
          const float a0 = u0[j], a1 = u1[j], a2 = u2[j], a3 = u3[j], a4 = u4[j], a5 = u5[j];
          h[i][0][j] = GT_ROW0(a0, a1, a2, a3, a4, a5);
          h[i][1][j] = GT_ROW1(a0, a1, a2, a3, a4, a5);
          h[i][2][j] = GT_ROW2(a0, a1, a2, a3, a4, a5);
        }
      }
      float out[9][WEIGHT_RUN];
      for (int b = 0; b < 3; b++) {
        for (int j = 0; j < n; j++) {
          const float a0 = h[0][b][j], a1 = h[1][b][j], a2 = h[2][b][j], a3 = h[3][b][j], a4 = h[4][b][j],
                      a5 = h[5][b][j];
          out[b][j] = GT_ROW0(a0, a1, a2, a3, a4, a5);
          out[3 + b][j] = GT_ROW1(a0, a1, a2, a3, a4, a5);
          out[6 + b][j] = GT_ROW2(a0, a1, a2, a3, a4, a5);
        }
      }
      float *dst = dw + ((long)o * I + i0) * 9;
      for (int j = 0; j < n; j++) {
        for (int e = 0; e < 9; e++) dst[j * 9 + e] += out[e][j];
      }
    }
  }
}

#if CK_X86
#define GRAD_ROW_AVX2 grad_row_avx2
#else
#define GRAD_ROW_AVX2 NULL
#endif

CK_AVX2 static void output_grad_avx2(const float *dy, int OH, int OW, int tb, int te, int tw, float *m, long ldm,
                                     long xs, int kb, int ke, float *l) {
  output_grad_impl(dy, OH, OW, tb, te, tw, m, ldm, xs, kb, ke, l, GRAD_ROW_AVX2);
}
static void output_grad_generic(const float *dy, int OH, int OW, int tb, int te, int tw, float *m, long ldm, long xs,
                                int kb, int ke, float *l) {
  output_grad_impl(dy, OH, OW, tb, te, tw, m, ldm, xs, kb, ke, l, NULL);
}
CK_AVX2 static void weight_grad_avx2(const float *du, long xs, int O, int I, float *dw, int ob, int oe) {
  weight_grad_impl(du, xs, O, I, dw, ob, oe);
}
static void weight_grad_generic(const float *du, long xs, int O, int I, float *dw, int ob, int oe) {
  weight_grad_impl(du, xs, O, I, dw, ob, oe);
}

void ck_winograd_f43_output_grad(const float *dy, int OH, int OW, int th_begin, int th_end, int tiles_w, float *m,
                                 long ldm, long xi_stride, int k_begin, int k_end, float *lines, int isa) {
  (ck_winograd_isa(isa) == CK_WINO_AVX2 ? output_grad_avx2 : output_grad_generic)(
    dy, OH, OW, th_begin, th_end, tiles_w, m, ldm, xi_stride, k_begin, k_end, lines);
}

void ck_winograd_f43_weight_grad(const float *du, long xi_stride, int O, int I, float *dw, int o_begin, int o_end,
                                 int isa) {
  (ck_winograd_isa(isa) == CK_WINO_AVX2 ? weight_grad_avx2 : weight_grad_generic)(du, xi_stride, O, I, dw, o_begin,
                                                                                   o_end);
}
