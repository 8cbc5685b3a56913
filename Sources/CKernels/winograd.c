// Winograd F(4×4, 3×3) transforms (Lavin & Gray 2016, points 0, ±1, ±2, ∞): a 3×3 stride-1 convolution as
// 36 element-wise products of transformed 6×6 input tiles and transformed kernels, each product summed over
// input channels by a GEMM (done by the caller through BLAS). Per 4×4 output tile 36 multiplies per channel
// pair instead of 144.
//   V = Bᵀ d B (input tile d: 6×6), U = G g Gᵀ (kernel g: 3×3), Y = Aᵀ (U ⊙ V summed over channels) A (4×4).
// Every transform is separable: a 1-D transform along image columns (vectorized along the image width) into a
// line buffer, then along its rows (hand-written AVX2 row kernels, 8 tiles per step). The bodies are plain C
// compiled twice: for AVX2/FMA and for the baseline ISA, chosen per call (ck_winograd_isa).
// This file: the forward transforms (input, output, kernel); winograd_gradient.c: the weight gradient's.
#include "ckernels.h"
#include "winograd.h"
#include <stdlib.h>
#include <string.h>

// dst[j·stride] = (Bᵀ d)[j] for j = 0..5.
#define BT_STORE(dst, stride, d0, d1, d2, d3, d4, d5)                                                       \
  do {                                                                                                     \
    (dst)[0] = BT_ROW0(d0, d1, d2, d3, d4, d5);                                                            \
    (dst)[(stride)] = BT_ROW1(d0, d1, d2, d3, d4, d5);                                                     \
    (dst)[2 * (stride)] = BT_ROW2(d0, d1, d2, d3, d4, d5);                                                 \
    (dst)[3 * (stride)] = BT_ROW3(d0, d1, d2, d3, d4, d5);                                                 \
    (dst)[4 * (stride)] = BT_ROW4(d0, d1, d2, d3, d4, d5);                                                 \
    (dst)[5 * (stride)] = BT_ROW5(d0, d1, d2, d3, d4, d5);                                                 \
  } while (0)

#if CK_X86
// Horizontal input transform of one row of Bᵀ·in for tiles [0, 8·⌊tiles_w/8⌋): out[j·xi_stride + tw].
// Reads up to 2 floats past the row's 4·tiles_w + 2 (the caller's buffer has slack). Returns tiles done.
CK_AVX2 static int input_row_avx2(const float *row, float *out, long xi_stride, int tiles_w) {
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);  // lanes 0 2 4 6 1 3 5 7 → tiles 0..7
  int tw = 0;
  for (; tw + 8 <= tiles_w; tw += 8) {
    const float *d = row + 4 * tw;
    __m256 d0, d1, d2, d3, d4, d5, unused0, unused1;
    CK_DEINTERLEAVE4(d, d0, d1, d2, d3);
    CK_DEINTERLEAVE4(d + 4, d4, d5, unused0, unused1);  // elements 4, 5 of tile l are elements 0, 1 of tile l + 1
    (void)unused0; (void)unused1;
    _mm256_storeu_ps(out + tw, _mm256_permutevar8x32_ps(BT_ROW0(d0, d1, d2, d3, d4, d5), order));
    _mm256_storeu_ps(out + xi_stride + tw, _mm256_permutevar8x32_ps(BT_ROW1(d0, d1, d2, d3, d4, d5), order));
    _mm256_storeu_ps(out + 2 * xi_stride + tw, _mm256_permutevar8x32_ps(BT_ROW2(d0, d1, d2, d3, d4, d5), order));
    _mm256_storeu_ps(out + 3 * xi_stride + tw, _mm256_permutevar8x32_ps(BT_ROW3(d0, d1, d2, d3, d4, d5), order));
    _mm256_storeu_ps(out + 4 * xi_stride + tw, _mm256_permutevar8x32_ps(BT_ROW4(d0, d1, d2, d3, d4, d5), order));
    _mm256_storeu_ps(out + 5 * xi_stride + tw, _mm256_permutevar8x32_ps(BT_ROW5(d0, d1, d2, d3, d4, d5), order));
  }
  return tw;
}
#endif

// The image row that supplies row `ih` of the padded image, or NULL where that row is zero: the row itself, its
// mirror without the edge (ReflectionPad2d) within `pad` of the border, else zero padding (and the rows past the
// padded image that only feed the discarded outputs of the last tile row).
static inline const float *source_row(const float *image, int H, int W, int pad, int reflect, int ih) {
  if (ih >= 0 && ih < H) return image + (long)ih * W;
  if (!reflect || ih < -pad || ih >= H + pad) return NULL;
  return image + (long)(ih < 0 ? -ih : 2 * (H - 1) - ih) * W;
}

// The image column that supplies column `iw` of the padded image (the same rule as source_row), or −1 for zero.
static inline int source_column(int W, int pad, int reflect, int iw) {
  if (iw >= 0 && iw < W) return iw;
  if (!reflect || iw < -pad || iw >= W + pad) return -1;
  return iw < 0 ? -iw : 2 * (W - 1) - iw;
}

// A normalization's apply read in place (see ck_scale_shift): v·scale + shift, unfused, then max(·, 0) with relu.
typedef struct {
  float scale, shift;
  int relu;
} affine;

static inline float apply_affine(float v, affine a) {
  const float p = v * a.scale;  // two statements: never contracted into an FMA
  const float y = p + a.shift;
  return a.relu ? (y > 0 ? y : 0.0f) : y;
}

// Column q of the vertical pass from image column `col` of the six rows (−1 or a NULL row: zero padding, which
// pads the normalized activation and so is not normalized itself).
static inline void pad_column(float *t, int span, int q, const float *const rows[6], int col, const affine *a) {
  float d[6];
  for (int r = 0; r < 6; r++) d[r] = col >= 0 && rows[r] ? (a ? apply_affine(rows[r][col], *a) : rows[r][col]) : 0.0f;
  BT_STORE(t + q, span, d[0], d[1], d[2], d[3], d[4], d[5]);
}

// Input transform of channels [c_begin, c_end) and tile columns [tw_begin, tw_begin + tiles_w) of one image. The
// vertical pass reads the six image rows in place (no copy): t[i][q] = Σ_r Bᵀ[i][r] in[r][x0 + q] for the block's
// columns x0 + q of the padded image, x0 = 4·tw_begin − pad. Columns inside the image go through one loop; the
// few padding columns read their mirrored (or zero) image column with the same arithmetic, so that a block
// anywhere in the row, and a reflection read here, give the bits of an explicitly padded image. With `scale`,
// channel c is first normalized as it is read: x·scale[c] + shift[c] (then ReLU), the bits of ck_scale_shift.
__attribute__((always_inline)) static inline void
input_impl(const float *x, int H, int W, int pad, int reflect, int th_begin, int th_end, int tw_begin, int tiles_w,
           const float *scale, const float *shift, int relu, float *v, long ldv, long xi_stride, int c_begin,
           int c_end, float *lines, row_kernel simd_row) {
  const int span = tiles_w * 4 + 2;                    // input columns covered by a row of tiles
  float *restrict t = lines;                           // 6 rows of Bᵀ·in (+ slack after)
  const float *zeros = lines + 6 * span + 16;          // a zero row of span floats
  memset(lines + 6 * span, 0, sizeof(float) * (16 + span));  // slack that input_row_avx2 reads (unused lanes), zeros
  const int x0 = tw_begin * 4 - pad;                   // image column of t[·][0]
  int lo = x0 < 0 ? -x0 : 0, hi = W - x0 < span ? W - x0 : span;  // t columns [lo, hi) lie inside the image
  if (lo > span) lo = span;
  if (hi < lo) hi = lo;
  for (int c = c_begin; c < c_end; c++) {
    const float *image = x + (long)c * H * W;
    const affine a = {scale ? scale[c] : 1.0f, scale ? shift[c] : 0.0f, relu};
    const affine *normalize = scale ? &a : NULL;
    for (int th = th_begin; th < th_end; th++) {
      const float *rows[6];
      for (int r = 0; r < 6; r++) rows[r] = source_row(image, H, W, pad, reflect, th * 4 + r - pad);
      if (c + 1 < c_end) {  // the same rows of the next channel, on their way while this one is transformed
        for (int r = 0; r < 6; r++) {
          if (!rows[r]) continue;
          const float *next = rows[r] + (long)H * W + x0 + lo;
          for (int q = 0; q < hi - lo; q += 16) __builtin_prefetch(next + q);
          __builtin_prefetch(next + (hi - lo) - 1);
        }
      }
      const float *from[6];  // vertical, inside the image: each row from column x0 + lo
      for (int r = 0; r < 6; r++) from[r] = rows[r] ? rows[r] + x0 + lo : zeros;
      const float *restrict i0 = from[0], *restrict i1 = from[1], *restrict i2 = from[2], *restrict i3 = from[3],
                            *restrict i4 = from[4], *restrict i5 = from[5];
      float *restrict tp = t + lo;
      if (normalize) {
        for (int q = 0; q < hi - lo; q++) {
          const float d0 = rows[0] ? apply_affine(i0[q], a) : 0.0f, d1 = rows[1] ? apply_affine(i1[q], a) : 0.0f,
                      d2 = rows[2] ? apply_affine(i2[q], a) : 0.0f, d3 = rows[3] ? apply_affine(i3[q], a) : 0.0f,
                      d4 = rows[4] ? apply_affine(i4[q], a) : 0.0f, d5 = rows[5] ? apply_affine(i5[q], a) : 0.0f;
          BT_STORE(tp + q, span, d0, d1, d2, d3, d4, d5);
        }
      } else {
        for (int q = 0; q < hi - lo; q++) BT_STORE(tp + q, span, i0[q], i1[q], i2[q], i3[q], i4[q], i5[q]);
      }
      for (int q = 0; q < lo; q++) pad_column(t, span, q, rows, source_column(W, pad, reflect, x0 + q), normalize);
      for (int q = hi; q < span; q++) pad_column(t, span, q, rows, source_column(W, pad, reflect, x0 + q), normalize);
      for (int i = 0; i < 6; i++) {  // horizontal: V[i][j] = Σ_q t[i][4tw + q] Bᵀ[j][q]
        const float *row = t + i * span;
        float *out = v + (long)(i * 6) * xi_stride + (long)c * ldv + (long)(th - th_begin) * tiles_w;
        for (int tw = simd_row ? simd_row(row, out, xi_stride, tiles_w) : 0; tw < tiles_w; tw++) {
          const float *d = row + 4 * tw;
          BT_STORE(out + tw, xi_stride, d[0], d[1], d[2], d[3], d[4], d[5]);
        }
      }
    }
  }
}

#if CK_X86
// Horizontal output transform of tiles [0, 8·⌊tiles_w/8⌋) of one ξ-row i: s[4tw + c] from the six planes at mi.
// The four results per tile are interleaved by the inverse of CK_DEINTERLEAVE4. Returns tiles done.
CK_AVX2 static int output_row_avx2(const float *mi, long xi_stride, float *s, int tiles_w) {
  int tw = 0;
  for (; tw + 8 <= tiles_w; tw += 8) {
    const __m256 m0 = _mm256_loadu_ps(mi + tw), m1 = _mm256_loadu_ps(mi + xi_stride + tw);
    const __m256 m2 = _mm256_loadu_ps(mi + 2 * xi_stride + tw), m3 = _mm256_loadu_ps(mi + 3 * xi_stride + tw);
    const __m256 m4 = _mm256_loadu_ps(mi + 4 * xi_stride + tw), m5 = _mm256_loadu_ps(mi + 5 * xi_stride + tw);
    const __m256 o0 = AT_ROW0(m0, m1, m2, m3, m4, m5), o1 = AT_ROW1(m0, m1, m2, m3, m4, m5);
    const __m256 o2 = AT_ROW2(m0, m1, m2, m3, m4, m5), o3 = AT_ROW3(m0, m1, m2, m3, m4, m5);
    const __m256 u0 = _mm256_unpacklo_ps(o0, o1), u1 = _mm256_unpackhi_ps(o0, o1);
    const __m256 u2 = _mm256_unpacklo_ps(o2, o3), u3 = _mm256_unpackhi_ps(o2, o3);
    const __m256 w0 = _mm256_shuffle_ps(u0, u2, _MM_SHUFFLE(1, 0, 1, 0));  // tiles 0 | 4
    const __m256 w1 = _mm256_shuffle_ps(u0, u2, _MM_SHUFFLE(3, 2, 3, 2));  // tiles 1 | 5
    const __m256 w2 = _mm256_shuffle_ps(u1, u3, _MM_SHUFFLE(1, 0, 1, 0));  // tiles 2 | 6
    const __m256 w3 = _mm256_shuffle_ps(u1, u3, _MM_SHUFFLE(3, 2, 3, 2));  // tiles 3 | 7
    float *dst = s + 4 * tw;
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(w0, w1, 0x20));
    _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(w2, w3, 0x20));
    _mm256_storeu_ps(dst + 16, _mm256_permute2f128_ps(w0, w1, 0x31));
    _mm256_storeu_ps(dst + 24, _mm256_permute2f128_ps(w2, w3, 0x31));
  }
  return tw;
}
#endif

// out[q] = (accumulate ? out[q] : b) + ROW(s0[q], …, s5[q]) for q < cols: one output row of the vertical pass.
#define OUTPUT_ROW(ROW)                                                                                    \
  do {                                                                                                     \
    if (accumulate) {                                                                                      \
      for (int q = 0; q < cols; q++) out[q] += ROW(s0[q], s1[q], s2[q], s3[q], s4[q], s5[q]);              \
    } else {                                                                                               \
      for (int q = 0; q < cols; q++) out[q] = b + ROW(s0[q], s1[q], s2[q], s3[q], s4[q], s5[q]);           \
    }                                                                                                      \
  } while (0)

// Output transform of output channels [k_begin, k_end) and tile columns [tw_begin, tw_begin + tiles_w) of one
// image.
__attribute__((always_inline)) static inline void
output_impl(const float *m, long ldm, long xi_stride, int OH, int OW, int th_begin, int th_end, int tw_begin,
            int tiles_w, const float *bias, float *y, int accumulate, int k_begin, int k_end, float *lines,
            output_row_kernel simd_row) {
  const int span = tiles_w * 4;
  const int cols = OW - 4 * tw_begin < span ? OW - 4 * tw_begin : span;  // output columns of the block
  const float *restrict s0 = lines, *restrict s1 = lines + span, *restrict s2 = lines + 2 * span,
                        *restrict s3 = lines + 3 * span, *restrict s4 = lines + 4 * span, *restrict s5 = lines + 5 * span;
  for (int k = k_begin; k < k_end; k++) {
    float *plane = y + (long)k * OH * OW;
    const float b = bias ? bias[k] : 0.0f;
    for (int th = th_begin; th < th_end; th++) {
      for (int i = 0; i < 6; i++) {  // horizontal: s[i][4tw + c] = Σ_j Aᵀ[c][j] M[i][j]
        const float *mi = m + (long)(i * 6) * xi_stride + (long)k * ldm + (long)(th - th_begin) * tiles_w;
        float *s = lines + i * span;
        for (int tw = simd_row ? simd_row(mi, xi_stride, s, tiles_w) : 0; tw < tiles_w; tw++) {
          const float m0 = mi[tw], m1 = mi[xi_stride + tw], m2 = mi[2 * xi_stride + tw], m3 = mi[3 * xi_stride + tw],
                      m4 = mi[4 * xi_stride + tw], m5 = mi[5 * xi_stride + tw];
          s[4 * tw] = AT_ROW0(m0, m1, m2, m3, m4, m5);
          s[4 * tw + 1] = AT_ROW1(m0, m1, m2, m3, m4, m5);
          s[4 * tw + 2] = AT_ROW2(m0, m1, m2, m3, m4, m5);
          s[4 * tw + 3] = AT_ROW3(m0, m1, m2, m3, m4, m5);
        }
      }
      // vertical: Y[r][q] = Σ_i Aᵀ[r][i] s[i][q], for the rows inside the image
      const int oh = th * 4, rows = OH - oh < 4 ? OH - oh : 4;
      float *restrict out = plane + (long)oh * OW + 4 * tw_begin;
      if (k + 1 < k_end) {  // the same rows of the next channel, fetched for writing while these are computed
        for (int r = 0; r < rows; r++) {
          const float *next = out + (long)OH * OW + (long)r * OW;
          for (int q = 0; q < cols; q += 16) __builtin_prefetch(next + q, 1);
          __builtin_prefetch(next + cols - 1, 1);
        }
      }
      if (rows > 0) OUTPUT_ROW(AT_ROW0);
      out += OW;
      if (rows > 1) OUTPUT_ROW(AT_ROW1);
      out += OW;
      if (rows > 2) OUTPUT_ROW(AT_ROW2);
      out += OW;
      if (rows > 3) OUTPUT_ROW(AT_ROW3);
    }
  }
}

// Kernel transform U = G g Gᵀ of pairs (o, i) for o in [o_begin, o_end), all i: U[ξ][o][i], planes xi_stride
// apart; g = w[o][i] or, flipped, w[i][o] rotated by 180° (w then has shape (I, O, 3, 3)). Pairs go in runs of
// up to 64 consecutive i: the run's kernels are first gathered into nine rows g[e][j], so that the transform
// itself is a loop over j with unit-stride loads and stores, which the compiler vectorizes.
__attribute__((always_inline)) static inline void
weight_impl(const float *w, int O, int I, int flipped, float *u, long xi_stride, int o_begin, int o_end) {
  float g[9][WEIGHT_RUN], gg[6][3][WEIGHT_RUN];
  for (int o = o_begin; o < o_end; o++) {
    for (int i0 = 0; i0 < I; i0 += WEIGHT_RUN) {
      const int n = I - i0 < WEIGHT_RUN ? I - i0 : WEIGHT_RUN;
      for (int j = 0; j < n; j++) {
        const int i = i0 + j;
        if (flipped) {
          const float *src = w + ((long)i * O + o) * 9;
          for (int e = 0; e < 9; e++) g[e][j] = src[8 - e];
        } else {
          const float *src = w + ((long)o * I + i) * 9;
          for (int e = 0; e < 9; e++) g[e][j] = src[e];
        }
      }
      // G g: G's rows 1/4 (1 0 0), −1/6 (1 1 1), −1/6 (1 −1 1), (1/24 1/12 1/6), (1/24 −1/12 1/6), (0 0 1)
      // applied to each column b of g.
      for (int b = 0; b < 3; b++) {
        for (int j = 0; j < n; j++) {
          const float g0 = g[b][j], g1 = g[3 + b][j], g2 = g[6 + b][j];
          gg[0][b][j] = 0.25f * g0;
          gg[1][b][j] = (-1.0f / 6) * (g0 + g1 + g2);
          gg[2][b][j] = (-1.0f / 6) * (g0 - g1 + g2);
          gg[3][b][j] = (1.0f / 24) * g0 + (1.0f / 12) * g1 + (1.0f / 6) * g2;
          gg[4][b][j] = (1.0f / 24) * g0 - (1.0f / 12) * g1 + (1.0f / 6) * g2;
          gg[5][b][j] = g2;
        }
      }
      float *dst = u + (long)o * I + i0;
      for (int a = 0; a < 6; a++) {  // row a of (G g) Gᵀ: G applied to row a of G g
        float *d0 = dst + (long)(a * 6) * xi_stride, *d1 = d0 + xi_stride, *d2 = d1 + xi_stride,
              *d3 = d2 + xi_stride, *d4 = d3 + xi_stride, *d5 = d4 + xi_stride;
        for (int j = 0; j < n; j++) {
          const float g0 = gg[a][0][j], g1 = gg[a][1][j], g2 = gg[a][2][j];
          d0[j] = 0.25f * g0;
          d1[j] = (-1.0f / 6) * (g0 + g1 + g2);
          d2[j] = (-1.0f / 6) * (g0 - g1 + g2);
          d3[j] = (1.0f / 24) * g0 + (1.0f / 12) * g1 + (1.0f / 6) * g2;
          d4[j] = (1.0f / 24) * g0 - (1.0f / 12) * g1 + (1.0f / 6) * g2;
          d5[j] = g2;
        }
      }
    }
  }
}

// Each transform compiled for three instruction sets; the row kernels are the hand-written part.
CK_AVX2 static void
weight_avx2(const float *w, int O, int I, int flipped, float *u, long xs, int ob, int oe) {
  weight_impl(w, O, I, flipped, u, xs, ob, oe);
}
static void weight_generic(const float *w, int O, int I, int flipped, float *u, long xs, int ob, int oe) {
  weight_impl(w, O, I, flipped, u, xs, ob, oe);
}

#if CK_X86
#define ROW_AVX2(name) name##_row_avx2
#else
#define ROW_AVX2(name) NULL
#endif

typedef void (*input_fn)(const float *, int, int, int, int, int, int, int, int, const float *, const float *, int,
                         float *, long, long, int, int, float *);
CK_AVX2 static void input_avx2(const float *x, int H, int W, int pad, int reflect, int tb, int te, int t0, int tw,
                               const float *sc, const float *sh, int relu, float *v, long ldv, long xs, int cb, int ce,
                               float *l) {
  input_impl(x, H, W, pad, reflect, tb, te, t0, tw, sc, sh, relu, v, ldv, xs, cb, ce, l, ROW_AVX2(input));
}
static void input_generic(const float *x, int H, int W, int pad, int reflect, int tb, int te, int t0, int tw,
                          const float *sc, const float *sh, int relu, float *v, long ldv, long xs, int cb, int ce,
                          float *l) {
  input_impl(x, H, W, pad, reflect, tb, te, t0, tw, sc, sh, relu, v, ldv, xs, cb, ce, l, NULL);
}

typedef void (*output_fn)(const float *, long, long, int, int, int, int, int, int, const float *, float *, int, int,
                          int, float *);
CK_AVX2 static void output_avx2(const float *m, long ldm, long xs, int OH, int OW, int tb, int te, int t0, int tw,
                                const float *bias, float *y, int acc, int kb, int ke, float *l) {
  output_impl(m, ldm, xs, OH, OW, tb, te, t0, tw, bias, y, acc, kb, ke, l, ROW_AVX2(output));
}
static void output_generic(const float *m, long ldm, long xs, int OH, int OW, int tb, int te, int t0, int tw,
                           const float *bias, float *y, int acc, int kb, int ke, float *l) {
  output_impl(m, ldm, xs, OH, OW, tb, te, t0, tw, bias, y, acc, kb, ke, l, NULL);
}

int ck_winograd_f43_best_isa(void) {
#if CK_X86
  // Read from several threads at once: the cache is read and written atomically.
  static int cached = -1;
  int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (value < 0) {
    __builtin_cpu_init();
    value = ck_has_avx2_fma() ? CK_WINO_AVX2 : CK_WINO_PORTABLE;
    __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
  }
  return value;
#else
  return CK_WINO_PORTABLE;
#endif
}

int ck_winograd_isa(int requested) {
  const int best = ck_winograd_f43_best_isa();
  return requested < best ? (requested < 0 ? 0 : requested) : best;
}

long ck_winograd_f43_line_floats(int tiles_w) {
  const long input = 7 * (long)(tiles_w * 4 + 2) + 32, output = 6 * (long)(tiles_w * 4);
  const long gradient = 7 * (long)(tiles_w * 4) + 16;
  const long most = input > output ? input : output;
  return most > gradient ? most : gradient;
}

void ck_winograd_f43_input(const float *x, int H, int W, int pad, int reflect, int th_begin, int th_end,
                           int tw_begin, int tiles_w, const float *scale, const float *shift, int relu, float *v,
                           long ldv, long xi_stride, int c_begin, int c_end, float *lines, int isa) {
  static const input_fn by_isa[] = {input_generic, input_avx2};
  by_isa[ck_winograd_isa(isa)](x, H, W, pad, reflect, th_begin, th_end, tw_begin, tiles_w, scale, shift, relu, v, ldv,
                               xi_stride, c_begin, c_end, lines);
}

void ck_winograd_f43_output(const float *m, long ldm, long xi_stride, int OH, int OW, int th_begin, int th_end,
                            int tw_begin, int tiles_w, const float *bias, float *y, int accumulate, int k_begin,
                            int k_end, float *lines, int isa) {
  static const output_fn by_isa[] = {output_generic, output_avx2};
  by_isa[ck_winograd_isa(isa)](m, ldm, xi_stride, OH, OW, th_begin, th_end, tw_begin, tiles_w, bias, y, accumulate,
                               k_begin, k_end, lines);
}

void ck_winograd_f43_weight(const float *w, int O, int I, int flipped, float *u, long xi_stride, int o_begin,
                            int o_end, int isa) {
  (ck_winograd_isa(isa) == CK_WINO_AVX2 ? weight_avx2 : weight_generic)(w, O, I, flipped, u, xi_stride, o_begin,
                                                                         o_end);
}
