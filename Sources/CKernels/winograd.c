// Winograd F(4×4, 3×3) transforms (Lavin & Gray 2016, points 0, ±1, ±2, ∞): a 3×3 stride-1 convolution as
// 36 element-wise products of transformed 6×6 input tiles and transformed kernels, each product summed over
// input channels by a GEMM (done by the caller through BLAS). Per 4×4 output tile 36 multiplies per channel
// pair instead of 144.
//   V = Bᵀ d B (input tile d: 6×6), U = G g Gᵀ (kernel g: 3×3), Y = Aᵀ (U ⊙ V summed over channels) A (4×4).
// Every transform is separable: a 1-D transform along rows of a line buffer (vectorized along the image
// width), then along columns. The bodies are plain C compiled twice: for AVX2/FMA and for the baseline ISA.
#include "ckernels.h"
#include <stdlib.h>
#include <string.h>

// Bᵀ applied to six values.
#define BT_ROW0(d0, d1, d2, d3, d4, d5) (4.0f * (d0) - 5.0f * (d2) + (d4))
#define BT_ROW1(d0, d1, d2, d3, d4, d5) (-4.0f * ((d1) + (d2)) + (d3) + (d4))
#define BT_ROW2(d0, d1, d2, d3, d4, d5) (4.0f * ((d1) - (d2)) - (d3) + (d4))
#define BT_ROW3(d0, d1, d2, d3, d4, d5) (2.0f * ((d3) - (d1)) - (d2) + (d4))
#define BT_ROW4(d0, d1, d2, d3, d4, d5) (2.0f * ((d1) - (d3)) - (d2) + (d4))
#define BT_ROW5(d0, d1, d2, d3, d4, d5) (4.0f * (d1) - 5.0f * (d3) + (d5))

// Input transform of channels [c_begin, c_end) of one image.
__attribute__((always_inline)) static inline void
input_impl(const float *x, int H, int W, int pad, int th_begin, int th_end, int tiles_w, float *v, long ldv,
           long xi_stride, int c_begin, int c_end, float *lines) {
  const int span = tiles_w * 4 + 2;  // input columns covered by a row of tiles
  float *in = lines, *t = lines + 6 * span;  // in: 6 rows of input; t: 6 rows of Bᵀ·in
  for (int c = c_begin; c < c_end; c++) {
    const float *image = x + (long)c * H * W;
    for (int th = th_begin; th < th_end; th++) {
      for (int r = 0; r < 6; r++) {  // six input rows, zero outside the image (padding and the last tiles)
        float *line = in + r * span;
        const int ih = th * 4 + r - pad;
        if (ih < 0 || ih >= H) { memset(line, 0, sizeof(float) * span); continue; }
        const int lo = pad < span ? pad : span;                      // line[q] = image[ih][q − pad]
        const int hi = W + pad < span ? W + pad : span;
        memset(line, 0, sizeof(float) * lo);
        if (hi > lo) memcpy(line + lo, image + (long)ih * W + (lo - pad), sizeof(float) * (hi - lo));
        if (hi < span) memset(line + (hi > lo ? hi : lo), 0, sizeof(float) * (span - (hi > lo ? hi : lo)));
      }
      const float *i0 = in, *i1 = in + span, *i2 = in + 2 * span, *i3 = in + 3 * span, *i4 = in + 4 * span,
                  *i5 = in + 5 * span;
      for (int q = 0; q < span; q++) {  // vertical: t[i][q] = Σ_r Bᵀ[i][r] in[r][q]
        const float d0 = i0[q], d1 = i1[q], d2 = i2[q], d3 = i3[q], d4 = i4[q], d5 = i5[q];
        t[q] = BT_ROW0(d0, d1, d2, d3, d4, d5);
        t[span + q] = BT_ROW1(d0, d1, d2, d3, d4, d5);
        t[2 * span + q] = BT_ROW2(d0, d1, d2, d3, d4, d5);
        t[3 * span + q] = BT_ROW3(d0, d1, d2, d3, d4, d5);
        t[4 * span + q] = BT_ROW4(d0, d1, d2, d3, d4, d5);
        t[5 * span + q] = BT_ROW5(d0, d1, d2, d3, d4, d5);
      }
      for (int i = 0; i < 6; i++) {  // horizontal: V[i][j] = Σ_q t[i][4tw + q] Bᵀ[j][q]
        const float *row = t + i * span;
        float *out = v + (long)(i * 6) * xi_stride + (long)c * ldv + (long)(th - th_begin) * tiles_w;
        for (int tw = 0; tw < tiles_w; tw++) {
          const float *d = row + 4 * tw;
          const float d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3], d4 = d[4], d5 = d[5];
          out[tw] = BT_ROW0(d0, d1, d2, d3, d4, d5);
          out[xi_stride + tw] = BT_ROW1(d0, d1, d2, d3, d4, d5);
          out[2 * xi_stride + tw] = BT_ROW2(d0, d1, d2, d3, d4, d5);
          out[3 * xi_stride + tw] = BT_ROW3(d0, d1, d2, d3, d4, d5);
          out[4 * xi_stride + tw] = BT_ROW4(d0, d1, d2, d3, d4, d5);
          out[5 * xi_stride + tw] = BT_ROW5(d0, d1, d2, d3, d4, d5);
        }
      }
    }
  }
}

// Aᵀ applied to six values.
#define AT_ROW0(m0, m1, m2, m3, m4, m5) ((m0) + (m1) + (m2) + (m3) + (m4))
#define AT_ROW1(m0, m1, m2, m3, m4, m5) ((m1) - (m2) + 2.0f * ((m3) - (m4)))
#define AT_ROW2(m0, m1, m2, m3, m4, m5) ((m1) + (m2) + 4.0f * ((m3) + (m4)))
#define AT_ROW3(m0, m1, m2, m3, m4, m5) ((m1) - (m2) + 8.0f * ((m3) - (m4)) + (m5))

// Output transform of output channels [k_begin, k_end) of one image.
__attribute__((always_inline)) static inline void
output_impl(const float *m, long ldm, long xi_stride, int OH, int OW, int th_begin, int th_end, int tiles_w, const float *bias,
            float *y, int accumulate, int k_begin, int k_end, float *lines) {
  const int span = tiles_w * 4;
  for (int k = k_begin; k < k_end; k++) {
    float *plane = y + (long)k * OH * OW;
    const float b = bias ? bias[k] : 0.0f;
    for (int th = th_begin; th < th_end; th++) {
      for (int i = 0; i < 6; i++) {  // horizontal: s[i][4tw + c] = Σ_j Aᵀ[c][j] M[i][j]
        const float *mi = m + (long)(i * 6) * xi_stride + (long)k * ldm + (long)(th - th_begin) * tiles_w;
        float *s = lines + i * span;
        for (int tw = 0; tw < tiles_w; tw++) {
          const float m0 = mi[tw], m1 = mi[xi_stride + tw], m2 = mi[2 * xi_stride + tw], m3 = mi[3 * xi_stride + tw],
                      m4 = mi[4 * xi_stride + tw], m5 = mi[5 * xi_stride + tw];
          s[4 * tw] = AT_ROW0(m0, m1, m2, m3, m4, m5);
          s[4 * tw + 1] = AT_ROW1(m0, m1, m2, m3, m4, m5);
          s[4 * tw + 2] = AT_ROW2(m0, m1, m2, m3, m4, m5);
          s[4 * tw + 3] = AT_ROW3(m0, m1, m2, m3, m4, m5);
        }
      }
      const float *s0 = lines, *s1 = lines + span, *s2 = lines + 2 * span, *s3 = lines + 3 * span,
                  *s4 = lines + 4 * span, *s5 = lines + 5 * span;
      for (int r = 0; r < 4; r++) {  // vertical: Y[r][q] = Σ_i Aᵀ[r][i] s[i][q]
        const int oh = th * 4 + r;
        if (oh >= OH) break;
        float *out = plane + (long)oh * OW;
        for (int q = 0; q < OW; q++) {
          const float m0 = s0[q], m1 = s1[q], m2 = s2[q], m3 = s3[q], m4 = s4[q], m5 = s5[q];
          float value = r == 0 ? AT_ROW0(m0, m1, m2, m3, m4, m5)
                      : r == 1 ? AT_ROW1(m0, m1, m2, m3, m4, m5)
                      : r == 2 ? AT_ROW2(m0, m1, m2, m3, m4, m5)
                               : AT_ROW3(m0, m1, m2, m3, m4, m5);
          out[q] = (accumulate ? out[q] : b) + value;
        }
      }
    }
  }
}

// G applied to three values (rows of G: 1/4 (1 0 0), −1/6 (1 1 1), −1/6 (1 −1 1), (1/24 1/12 1/6),
// (1/24 −1/12 1/6), (0 0 1)).
#define G_APPLY(out, g0, g1, g2)                                                           \
  do {                                                                                     \
    (out)[0] = 0.25 * (g0);                                                                \
    (out)[1] = (-1.0 / 6) * ((g0) + (g1) + (g2));                                          \
    (out)[2] = (-1.0 / 6) * ((g0) - (g1) + (g2));                                          \
    (out)[3] = (1.0 / 24) * (g0) + (1.0 / 12) * (g1) + (1.0 / 6) * (g2);                   \
    (out)[4] = (1.0 / 24) * (g0) - (1.0 / 12) * (g1) + (1.0 / 6) * (g2);                   \
    (out)[5] = (g2);                                                                       \
  } while (0)

// Kernel transform U = G g Gᵀ of pairs (o, i) for o in [o_begin, o_end), all i: U[ξ][o][i], planes xi_stride apart.
// g = w[o][i] or, flipped, w[i][o] rotated by 180° (w then has shape (I, O, 3, 3)). In double, rounded once.
__attribute__((always_inline)) static inline void
weight_impl(const float *w, int O, int I, int flipped, float *u, long xi_stride, int o_begin, int o_end) {
  for (int o = o_begin; o < o_end; o++) {
    for (int i = 0; i < I; i++) {
      double g[9];
      if (flipped) {
        const float *src = w + ((long)i * O + o) * 9;
        for (int e = 0; e < 9; e++) g[e] = src[8 - e];
      } else {
        const float *src = w + ((long)o * I + i) * 9;
        for (int e = 0; e < 9; e++) g[e] = src[e];
      }
      double col[3][6], out[6];  // col[b] = G · (column b of g)
      for (int b = 0; b < 3; b++) G_APPLY(col[b], g[b], g[3 + b], g[6 + b]);
      float *dst = u + (long)o * I + i;
      for (int a = 0; a < 6; a++) {  // row a of (G g) Gᵀ = G · (row a of G g)
        G_APPLY(out, col[0][a], col[1][a], col[2][a]);
        for (int b = 0; b < 6; b++) dst[(long)(a * 6 + b) * xi_stride] = (float)out[b];
      }
    }
  }
}

__attribute__((target("avx2,fma"))) static void
weight_avx2(const float *w, int O, int I, int flipped, float *u, long xs, int ob, int oe) {
  weight_impl(w, O, I, flipped, u, xs, ob, oe);
}
static void weight_generic(const float *w, int O, int I, int flipped, float *u, long xs, int ob, int oe) {
  weight_impl(w, O, I, flipped, u, xs, ob, oe);
}

__attribute__((target("avx2,fma"))) static void
input_avx2(const float *x, int H, int W, int pad, int tb, int te, int tw, float *v, long ldv, long xs, int cb, int ce,
           float *l) {
  input_impl(x, H, W, pad, tb, te, tw, v, ldv, xs, cb, ce, l);
}
static void
input_generic(const float *x, int H, int W, int pad, int tb, int te, int tw, float *v, long ldv, long xs, int cb, int ce,
              float *l) {
  input_impl(x, H, W, pad, tb, te, tw, v, ldv, xs, cb, ce, l);
}
__attribute__((target("avx2,fma"))) static void
output_avx2(const float *m, long ldm, long xs, int OH, int OW, int tb, int te, int tw, const float *bias, float *y, int acc,
            int kb, int ke, float *l) {
  output_impl(m, ldm, xs, OH, OW, tb, te, tw, bias, y, acc, kb, ke, l);
}
static void
output_generic(const float *m, long ldm, long xs, int OH, int OW, int tb, int te, int tw, const float *bias, float *y, int acc,
               int kb, int ke, float *l) {
  output_impl(m, ldm, xs, OH, OW, tb, te, tw, bias, y, acc, kb, ke, l);
}

int ck_winograd_f43_input(const float *x, int H, int W, int pad, int th_begin, int th_end, int tiles_w, float *v,
                          long ldv, long xi_stride, int c_begin, int c_end) {
  float *lines = malloc(sizeof(float) * 12 * (size_t)(tiles_w * 4 + 2));
  if (!lines) return 1;
  (ck_has_avx2_fma() ? input_avx2 : input_generic)(x, H, W, pad, th_begin, th_end, tiles_w, v, ldv, xi_stride, c_begin,
                                                    c_end, lines);
  free(lines);
  return 0;
}

int ck_winograd_f43_output(const float *m, long ldm, long xi_stride, int OH, int OW, int th_begin, int th_end,
                           int tiles_w, const float *bias, float *y, int accumulate, int k_begin, int k_end) {
  float *lines = malloc(sizeof(float) * 6 * (size_t)(tiles_w * 4));
  if (!lines) return 1;
  (ck_has_avx2_fma() ? output_avx2 : output_generic)(m, ldm, xi_stride, OH, OW, th_begin, th_end, tiles_w, bias, y,
                                                      accumulate, k_begin, k_end, lines);
  free(lines);
  return 0;
}

void ck_winograd_f43_weight(const float *w, int O, int I, int flipped, float *u, long xi_stride, int o_begin,
                            int o_end) {
  (ck_has_avx2_fma() ? weight_avx2 : weight_generic)(w, O, I, flipped, u, xi_stride, o_begin, o_end);
}
