// Direct AVX2/FMA convolutions for few output channels (≤ 64), any kernel size, stride 1 or 2, zero padding, and
// the stride-s transposed convolution as s² sub-pixel convolutions (Shi et al. 2016, "Is the deconvolution layer
// the same as a convolutional layer?"). No im2col: a band of input rows is copied once into a zero-padded,
// phase-split scratch (column X of a padded row goes to phase X mod s, index X / s), so that every kernel tap
// reads contiguous floats; 4 output channels × 24 output columns accumulate in 12 ymm registers.
#include "ckernels.h"
#include "ck_target.h"
#include <stdlib.h>
#include <string.h>

#define PB 24 /* output columns per register block: 3 vectors of 8 */
#define CB 4  /* output channels per register block */
#define SCRATCH_BYTES (192 << 10) /* input band budget: stays in L2 */

static long round_up(long n, long m) { return (n + m - 1) / m * m; }

#if CK_X86
#include <immintrin.h>

// The taps of one output row: tap i of output column ow reads in[tap[i] + ow], with the weights packed in the
// same order (input channel, tap row, tap column).
typedef struct {
  const float *in;
  const int *tap;
  int n;
} taps;

// Tap list for C channels cs floats apart, kh rows rs floats apart and kw columns at off[u].
static void list_taps(int *tap, int C, int kh, int kw, long cs, long rs, const long *off) {
  for (int c = 0; c < C; c++)
    for (int t = 0; t < kh; t++)
      for (int u = 0; u < kw; u++) *tap++ = (int)(c * cs + t * rs + off[u]);
}

// acc[o][v] += Σ_{c,t,u} w[o][c][t][u] · in[c, t, u][ow0 + 8v + lane]; wp packed as [c][t][u][CB]. The taps
// are one flat list of offsets (built per band), so that the loop is a single counter however small kw is.
CK_AVX2 __attribute__((always_inline)) static inline void micro(const taps *tp, int ow0, const float *wp, int KC,
                                                                __m256 acc[CB][3]) {
  const float *in = tp->in + ow0;
  const int *tap = tp->tap, n = tp->n;
  for (int i = 0; i < n; i++, wp += CB) {
    const float *p = in + tap[i];
    __m256 v0 = _mm256_loadu_ps(p), v1 = _mm256_loadu_ps(p + 8), v2 = _mm256_loadu_ps(p + 16);
    for (int o = 0; o < KC; o++) {
      __m256 wv = _mm256_broadcast_ss(wp + o);
      acc[o][0] = _mm256_fmadd_ps(wv, v0, acc[o][0]);
      acc[o][1] = _mm256_fmadd_ps(wv, v1, acc[o][1]);
      acc[o][2] = _mm256_fmadd_ps(wv, v2, acc[o][2]);
    }
  }
}

CK_AVX2 static inline __m256i lanes_below(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Output channels [o0, o0 + KC), columns [ow0, ow0 + PB) ∩ [0, OW) of one output row: y[o] = row (pitch ys
// floats between channels); bias or zero, or with `accumulate` the row's current values, as the starting point.
CK_AVX2 __attribute__((always_inline)) static inline void block(const taps *tp, const float *wp, const float *bias,
                                                                int o0, int KC, int ow0, float *y, long ys, int OW,
                                                                int accumulate) {
  __m256 acc[CB][3];
  int rem = OW - ow0;
  for (int o = 0; o < KC; o++) {
    float *out = y + (o0 + o) * ys + ow0;
    for (int v = 0; v < 3; v++) {
      if (!accumulate) acc[o][v] = _mm256_set1_ps(bias ? bias[o0 + o] : 0.0f);
      else if (rem >= 8 * v + 8) acc[o][v] = _mm256_loadu_ps(out + 8 * v);
      else acc[o][v] = _mm256_maskload_ps(out + 8 * v, lanes_below(rem - 8 * v));
    }
  }
  micro(tp, ow0, wp, KC, acc);
  for (int o = 0; o < KC; o++) {
    float *out = y + (o0 + o) * ys + ow0;
    for (int v = 0; v < 3; v++) {
      if (rem >= 8 * v + 8) _mm256_storeu_ps(out + 8 * v, acc[o][v]);
      else if (rem > 8 * v) _mm256_maskstore_ps(out + 8 * v, lanes_below(rem - 8 * v), acc[o][v]);
    }
  }
}

// All K output channels of one output row; wp packed as [K/CB][C][kh][kw][CB] (zeros past K). Column blocks
// outside, channel blocks inside: a block's input columns stay in L1 while every channel block reads them.
CK_AVX2 static void conv_row(const taps *tp, const float *wp, const float *bias, int K, float *y, long ys, int OW,
                             int accumulate) {
  const long size = (long)tp->n * CB;
  const int full = K / CB * CB;
  for (int ow0 = 0; ow0 < OW; ow0 += PB) {
    for (int o0 = 0; o0 < full; o0 += CB) block(tp, wp + o0 / CB * size, bias, o0, CB, ow0, y, ys, OW, accumulate);
    const float *last = wp + full / CB * size;
    switch (K - full) {
    case 1: block(tp, last, bias, full, 1, ow0, y, ys, OW, accumulate); break;
    case 2: block(tp, last, bias, full, 2, ow0, y, ys, OW, accumulate); break;
    case 3: block(tp, last, bias, full, 3, ow0, y, ys, OW, accumulate); break;
    default: break;
    }
  }
}

// Rows [r0, r1) of the zero-padded image x (C, H, W) (row R is input row R − pad_top, column X is input column
// X − pad_left), split into s column phases of wph floats: scratch[c][R − r0][X mod s][X / s].
CK_AVX2 static void fill_band(const float *x, int C, int H, int W, int s, int pad_top, int pad_left, int r0, int r1,
                              long wph, float *line, float *scratch) {
  const long rows = r1 - r0, plen = s * wph;
  for (int c = 0; c < C; c++) {
    for (int r = r0; r < r1; r++) {
      float *dst = scratch + ((long)c * rows + (r - r0)) * plen;
      int ih = r - pad_top;
      if (ih < 0 || ih >= H) {
        memset(dst, 0, plen * sizeof(float));
        continue;
      }
      const float *src = x + ((long)c * H + ih) * W;
      if (s == 1) {
        // The padded row directly: zeros, the input columns that fit, zeros.
        long lo = pad_left < 0 ? -pad_left : 0, at = pad_left + lo;
        long n = W - lo < plen - at ? W - lo : plen - at;
        if (n < 0) n = 0;
        memset(dst, 0, plen * sizeof(float));
        if (n > 0) memcpy(dst + at, src + lo, n * sizeof(float));
        continue;
      }
      memset(line, 0, plen * sizeof(float));
      for (long j = 0; j < W; j++) {
        long X = j + pad_left;
        if (X >= 0 && X < plen) line[X] = src[j];
      }
      if (s == 2) {
        float *even = dst, *odd = dst + wph;
        long X = 0;
        for (; X + 16 <= plen; X += 16) {
          __m256 a = _mm256_loadu_ps(line + X), b = _mm256_loadu_ps(line + X + 8);
          __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
          __m256 o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
          _mm256_storeu_ps(even + X / 2, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xD8)));
          _mm256_storeu_ps(odd + X / 2, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), 0xD8)));
        }
        for (; X < plen; X++) (X % 2 ? odd : even)[X / 2] = line[X];
      } else {
        for (long X = 0; X < plen; X++) dst[(X % s) * wph + X / s] = line[X];
      }
    }
  }
}

// Packs w into [K/CB][C][kh][kw][CB]: element (o, c, t, u) is w[at(o, c, t, u)], given by strides and flips of
// the source (so that the same packer serves OIHW convolutions and the sub-kernels of IOHW transposed ones).
typedef struct {
  long o, c, t, u; // source strides
  long base;
} weight_view;

static void pack_weights(const float *w, weight_view v, int K, int C, int kh, int kw, float *wp) {
  const int blocks = (K + CB - 1) / CB;
  for (int b = 0; b < blocks; b++)
    for (int c = 0; c < C; c++)
      for (int t = 0; t < kh; t++)
        for (int u = 0; u < kw; u++)
          for (int i = 0; i < CB; i++) {
            int o = b * CB + i;
            *wp++ = o < K ? w[v.base + o * v.o + c * v.c + t * v.t + u * v.u] : 0.0f;
          }
}

CK_AVX2 int ck_conv2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k,
                            int stride, int pad, int OH, int OW, float *y, int accumulate, int row_begin,
                            int row_end) {
  const int s = stride;
  if (k > 64) return -2;
  const long owr = round_up(OW, PB);
  const long wph = owr + (k - 1) / s + 1;          // phase row: every column a block can read
  const long row_floats = (long)C * s * wph;       // one padded input row, all channels
  long band = SCRATCH_BYTES / 4 / row_floats / s;  // output rows per band
  if (band < 1) band = 1;
  const long band_rows = (band - 1) * s + k;
  const long wfloats = round_up(K, CB) * (long)C * k * k;
  float *wp = malloc(sizeof(float) * (wfloats + s * wph + row_floats * band_rows + (long)C * k * k));
  if (!wp) return -1;
  float *line = wp + wfloats, *scratch = line + s * wph;
  int *tap = (int *)(scratch + row_floats * band_rows);
  pack_weights(w, (weight_view){(long)C * k * k, (long)k * k, k, 1, 0}, K, C, k, k, wp);
  long off[64];
  for (int u = 0; u < k; u++) off[u] = (u % s) * wph + u / s;
  const long plane = (long)OH * OW;
  for (int b0 = row_begin; b0 < row_end; b0 += band) {
    int b1 = b0 + band < row_end ? b0 + band : row_end;
    int r0 = b0 * s, r1 = (b1 - 1) * s + k;
    fill_band(x, C, H, W, s, pad, pad, r0, r1, wph, line, scratch);
    list_taps(tap, C, k, k, (long)(r1 - r0) * s * wph, s * wph, off);
    for (int oh = b0; oh < b1; oh++) {
      taps tp = {scratch + (long)(oh * s - r0) * s * wph, tap, C * k * k};
      conv_row(&tp, wp, bias, K, y + (long)oh * OW, plane, OW, accumulate);
    }
  }
  free(wp);
  return 0;
}

// Sub-pixel decomposition of a stride-s transposed convolution, per output phase a (rows oy = s·m + a; the same
// for columns): oy = s·iy − pad + ki, so ki ≡ a + pad (mod s): taps ki = r + s·j (j < n), input row
// iy = m + base − j with r = (a + pad) mod s, base = (a + pad − r)/s. As a stride-1 correlation with tap
// t = n − 1 − j: iy = m + first + t, first = base − (n − 1).
typedef struct {
  int r, n, first;
} phase;

static phase phase_of(int a, int pad, int s, int k) {
  int r = (a + pad) % s;
  int n = r < k ? (k - r + s - 1) / s : 0;
  return (phase){r, n, (a + pad - r) / s - (n - 1)};
}

CK_AVX2 static void interleave2(const float *t0, const float *t1, float *out, int OW, int accumulate) {
  int x = 0;
  for (; x + 16 <= OW; x += 16) {
    __m256 a = _mm256_loadu_ps(t0 + x / 2), b = _mm256_loadu_ps(t1 + x / 2);
    __m256 lo = _mm256_unpacklo_ps(a, b), hi = _mm256_unpackhi_ps(a, b);
    __m256 o0 = _mm256_permute2f128_ps(lo, hi, 0x20), o1 = _mm256_permute2f128_ps(lo, hi, 0x31);
    if (accumulate) {
      o0 = _mm256_add_ps(o0, _mm256_loadu_ps(out + x));
      o1 = _mm256_add_ps(o1, _mm256_loadu_ps(out + x + 8));
    }
    _mm256_storeu_ps(out + x, o0);
    _mm256_storeu_ps(out + x + 8, o1);
  }
  for (; x < OW; x++) {
    float v = (x % 2 ? t1 : t0)[x / 2];
    out[x] = accumulate ? out[x] + v : v;
  }
}

CK_AVX2 int ck_conv_transpose2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K,
                                      int k, int stride, int pad, int OH, int OW, float *y, int accumulate,
                                      int row_begin, int row_end) {
  const int s = stride;
  if (s > 4 || k > 64) return -2;
  phase ph[4];
  int first_min = 0, last_max = 0, n_max = 0;
  for (int a = 0; a < s; a++) {
    ph[a] = phase_of(a, pad, s, k);
    if (a == 0 || ph[a].first < first_min) first_min = ph[a].first;
    if (a == 0 || ph[a].first + ph[a].n > last_max) last_max = ph[a].first + ph[a].n;
    if (ph[a].n > n_max) n_max = ph[a].n;
  }
  const long owr = round_up((OW + s - 1) / s, PB);       // columns of one phase, rounded to blocks
  const int pad_left = -first_min;                       // scratch column of input column 0
  const long width = owr + (last_max - first_min) + 1;   // every column a block can read
  const long row_floats = (long)C * width;
  long band = SCRATCH_BYTES / 4 / row_floats;             // input rows per band
  if (band < 1) band = 1;
  const long band_rows = band + (last_max - first_min);
  // Packed sub-kernels, one per phase pair (a, b), each of the size of the largest.
  const long sub = round_up(K, CB) * (long)C * n_max * n_max;
  const long ntaps = (long)C * n_max * n_max;
  float *wp = malloc(sizeof(float) * (sub * s * s + row_floats * band_rows + (long)s * K * owr + width + ntaps * s * s));
  if (!wp) return -1;
  float *scratch = wp + sub * s * s, *tmp = scratch + row_floats * band_rows, *line = tmp + (long)s * K * owr;
  int *tap = (int *)(line + width);
  for (int a = 0; a < s; a++)
    for (int b = 0; b < s; b++) {
      // Sub-kernel tap (t, u) is w[c][o][r_a + s·(n_a − 1 − t)][r_b + s·(n_b − 1 − u)].
      weight_view v = {(long)k * k, (long)K * k * k, -(long)s * k, -s,
                       (long)(ph[a].r + s * (ph[a].n - 1)) * k + ph[b].r + s * (ph[b].n - 1)};
      pack_weights(w, v, K, C, ph[a].n, ph[b].n, wp + (a * s + b) * sub);
    }
  long off[64];
  for (int u = 0; u < n_max; u++) off[u] = u;
  const long plane = (long)OH * OW;
  for (int b0 = row_begin; b0 < row_end;) {
    // Output rows [b0, b1) read input rows [m(b0) + first_min, m(b1 − 1) + last_max).
    int r0 = b0 / s + first_min, b1 = b0;
    while (b1 < row_end && (b1 / s + last_max) - r0 <= band_rows) b1++;
    if (b1 == b0) b1 = b0 + 1;
    int r1 = (b1 - 1) / s + last_max;
    fill_band(x, C, H, W, 1, 0, pad_left, r0, r1, width, line, scratch);
    for (int a = 0; a < s; a++)
      for (int b = 0; b < s; b++)
        list_taps(tap + (a * s + b) * ntaps, C, ph[a].n, ph[b].n, (long)(r1 - r0) * width, width, off);
    for (int oy = b0; oy < b1; oy++) {
      int a = oy % s, m = oy / s;
      for (int b = 0; b < s; b++) {
        int owb = (OW - b + s - 1) / s;
        taps tp = {scratch + (long)(m + ph[a].first - r0) * width + (ph[b].first + pad_left),
                   tap + (a * s + b) * ntaps, C * ph[a].n * ph[b].n};
        float *out = s == 1 ? y + (long)oy * OW : tmp + (long)b * K * owr;
        long ys = s == 1 ? plane : owr;
        if (owb > 0) conv_row(&tp, wp + (a * s + b) * sub, accumulate && s > 1 ? NULL : bias, K, out, ys,
                              s == 1 ? OW : (int)owr, accumulate && s == 1);
      }
      if (s == 1) continue;
      for (int o = 0; o < K; o++) {
        float *out = y + o * plane + (long)oy * OW;
        if (s == 2) {
          interleave2(tmp + (long)o * owr, tmp + ((long)K + o) * owr, out, OW, accumulate);
          continue;
        }
        for (int xo = 0; xo < OW; xo++) {
          float v = tmp[((long)(xo % s) * K + o) * owr + xo / s];
          out[xo] = accumulate ? out[xo] + v : v;
        }
      }
    }
    b0 = b1;
  }
  free(wp);
  return 0;
}
#else
// Without x86 the callers never choose these kernels (ck_has_avx2_fma() is 0).
int ck_conv2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k, int stride,
                    int pad, int OH, int OW, float *y, int accumulate, int row_begin, int row_end) {
  abort();
}
int ck_conv_transpose2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k,
                              int stride, int pad, int OH, int OW, float *y, int accumulate, int row_begin,
                              int row_end) {
  abort();
}
#endif
