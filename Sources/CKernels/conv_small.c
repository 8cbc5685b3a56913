// Direct AVX2/FMA convolutions for few output channels (≤ 64), any kernel size, stride 1 or 2, zero padding, and
// the stride-s transposed convolution as s² sub-pixel convolutions (Shi et al. 2016, "Is the deconvolution layer
// the same as a convolutional layer?"). No im2col: a band of input rows is copied once into a zero-padded,
// phase-split scratch (column X of a padded row goes to phase X mod s, index X / s), so that every kernel tap
// reads contiguous floats; 6 output channels × 16 output columns accumulate in 12 ymm registers (4 × 24 also
// needs 16 registers with its loads, and clang then shuffled and spilled registers on every tap: 35–53 GFLOP/s
// on one core against 61–85 for 6 × 16 and 49–74 for 8 × 8).
#include "ckernels.h"
#include "ck_activations.h"
#include "ck_target.h"
#include <stdlib.h>
#include <string.h>

#define NV 2                      /* vectors per register block (16 or 32 output columns) */
#define CB 6                      /* output channels per register block */
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

// src[j + lane] for the lanes with 0 ≤ j + lane < W, zero elsewhere.
CK_AVX2 static inline __m256 load_within(const float *src, long j, long W) {
  if (j >= 0 && j + 8 <= W) return _mm256_loadu_ps(src + j);
  __m256i at = _mm256_add_epi32(_mm256_set1_epi32((int)j), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i inside = _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), at),
                                       _mm256_cmpgt_epi32(_mm256_set1_epi32((int)W), at));
  return _mm256_maskload_ps(src + j, inside);
}

// One input row src (W floats) as the two column phases of its zero-padded copy (column X = input column
// X − pad_left): even[i] = padded[2i], odd[i] = padded[2i + 1], i < wph. Straight from the source with vector
// loads: the former path scattered each row into a padded line through a scalar loop first, which made fill_band
// half of d32's forward time (perf, one core at 256²); now d32 runs 1.4–1.6× and d64 1.2× faster on one core.
CK_AVX2 static void split_row2(const float *src, long W, long pad_left, long wph, float *even, float *odd) {
  for (long i = 0; i < wph; i += 8) {
    if (i + 8 > wph) i = wph - 8; // the last 8 again rather than past the phase (wph > VW ≥ 8)
    const long j = 2 * i - pad_left;
    if (j + 16 <= 0 || j >= W) {
      _mm256_storeu_ps(even + i, _mm256_setzero_ps());
      _mm256_storeu_ps(odd + i, _mm256_setzero_ps());
      continue;
    }
    __m256 a = load_within(src, j, W), b = load_within(src, j + 8, W);
    __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
    __m256 o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
    _mm256_storeu_ps(even + i, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xD8)));
    _mm256_storeu_ps(odd + i, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), 0xD8)));
  }
}

// The image row or column that supplies index i of the padded image (pad on each side): i itself inside [0, n),
// its mirror without the edge within `pad` of the border with `reflect` (PyTorch's ReflectionPad2d), else −1: zero.
static inline long source_index(long i, long n, long pad, int reflect) {
  if (i >= 0 && i < n) return i;
  if (!reflect || i < -pad || i >= n + pad) return -1;
  return i < 0 ? -i : 2 * (n - 1) - i;
}

// After a row of the band is filled from the image with zero padding: with a map, the mirrored columns of a
// reflection pad are written, then the normalization applied to every column that came from the image (the
// bits of ck_scale_shift) and the zero padding written again (it pads the normalized image).
static void map_row(float *dst, const float *src, int W, int s, long pad_left, long wph, const ck_input_map *map,
                    int c) {
  const long plen = s * wph;
  if (map->reflect) {
    for (long X = 0; X < plen; X++) {
      const long j = X - pad_left;
      if (j >= 0 && j < W) {
        X = pad_left + W - 1;  // the image part is already there
        continue;
      }
      const long at = source_index(j, W, pad_left, 1);
      if (at >= 0) dst[(X % s) * wph + X / s] = src[at];
    }
  }
  if (!map->scale) return;
  ck_scale_shift(dst, dst, plen, map->scale[c], map->shift[c], map->relu);
  for (long X = 0; X < plen; X++) {  // zero padding (and the columns past the padded image) back to zero
    const long j = X - pad_left;
    if (j >= 0 && j < W) {
      X = pad_left + W - 1;
      continue;
    }
    if (source_index(j, W, pad_left, map->reflect) < 0) dst[(X % s) * wph + X / s] = 0.0f;
  }
}

// Rows [r0, r1) of the zero-padded image x (C, H, W) (row R is input row R − pad_top, column X is input column
// X − pad_left), split into s column phases of wph floats: scratch[c][R − r0][X mod s][X / s]. With `map`
// (ck_conv2d_small_mapped; pad_top = pad_left) the padding is mirrored and/or the image normalized as it is read.
CK_AVX2 static void fill_band(const float *x, int C, int H, int W, int s, int pad_top, int pad_left, int r0, int r1,
                              long wph, float *line, float *scratch, const ck_input_map *map) {
  const long rows = r1 - r0, plen = s * wph;
  for (int c = 0; c < C; c++) {
    for (int r = r0; r < r1; r++) {
      float *dst = scratch + ((long)c * rows + (r - r0)) * plen;
      const int ih = (int)source_index(r - pad_top, H, pad_top, map && map->reflect);
      if (ih < 0) {
        memset(dst, 0, plen * sizeof(float));
        continue;
      }
      const float *src = x + ((long)c * H + ih) * W;
      if (s == 1) {
        // The padded row directly: zeros, the input columns that fit, zeros.
        long lo = pad_left < 0 ? -pad_left : 0, at = pad_left + lo;
        long n = W - lo < plen - at ? W - lo : plen - at;
        if (n < 0) n = 0;
        if (at > plen) at = plen;
        memset(dst, 0, at * sizeof(float));
        memcpy(dst + at, src + lo, n * sizeof(float));
        memset(dst + at + n, 0, (plen - at - n) * sizeof(float));
      } else if (s == 2) {
        split_row2(src, W, pad_left, wph, dst, dst + wph);
      } else {
        memset(line, 0, plen * sizeof(float));
        for (long j = 0; j < W; j++) {
          long X = j + pad_left;
          if (X >= 0 && X < plen) line[X] = src[j];
        }
        for (long X = 0; X < plen; X++) dst[(X % s) * wph + X / s] = line[X];
      }
      if (map) map_row(dst, src, W, s, pad_left, wph, map, c);
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

// AVX2 + FMA: 16 output columns per block.
#define VTARGET CK_AVX2
#define VEC __m256
#define VW 8
#define VLOAD _mm256_loadu_ps
#define VSTORE _mm256_storeu_ps
#define VSET1 _mm256_set1_ps
#define VFMA _mm256_fmadd_ps
#define VLOAD_FIRST(p, n) _mm256_maskload_ps(p, lanes_below(n))
#define VSTORE_FIRST(p, n, v) _mm256_maskstore_ps(p, lanes_below(n), v)
#define VSUM sum8
#define FN(name) name##_avx2
CK_AVX2 static inline __m256i lanes_below(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
CK_AVX2 static inline float sum8(__m256 v) {
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}
#include "conv_small_impl.h"
#undef VTARGET
#undef VEC
#undef VW
#undef VLOAD
#undef VSTORE
#undef VSET1
#undef VFMA
#undef VLOAD_FIRST
#undef VSTORE_FIRST
#undef VSUM
#undef FN

// AVX-512 (F): the same blocks over 32 output columns, where the CPU has it (on this project's Xeon, OpenBLAS's
// SkylakeX sgemm runs at ~130 GFLOP/s per core, which the 8-lane kernel cannot reach).
#define VTARGET __attribute__((target("avx512f,avx2,fma")))
#define VEC __m512
#define VW 16
#define VLOAD _mm512_loadu_ps
#define VSTORE _mm512_storeu_ps
#define VSET1 _mm512_set1_ps
#define VFMA _mm512_fmadd_ps
#define VLOAD_FIRST(p, n) _mm512_maskz_loadu_ps(first_lanes(n), p)
#define VSTORE_FIRST(p, n, v) _mm512_mask_storeu_ps(p, first_lanes(n), v)
#define VSUM _mm512_reduce_add_ps
#define FN(name) name##_avx512
static inline __mmask16 first_lanes(int n) { return n <= 0 ? 0 : n >= 16 ? 0xFFFF : (__mmask16)((1u << n) - 1); }
#include "conv_small_impl.h"

static int has_avx512f(void) {
  static int cached = -1;
  int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (value < 0) {
    __builtin_cpu_init();
    value = __builtin_cpu_supports("avx512f");
    __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
  }
  return value;
}

int ck_conv2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k, int stride,
                    int pad, int OH, int OW, float *y, int accumulate, int row_begin, int row_end) {
  return ck_conv2d_small_mapped(x, C, H, W, NULL, w, bias, K, k, stride, pad, OH, OW, y, accumulate, row_begin,
                                row_end);
}

int ck_conv2d_small_mapped(const float *x, int C, int H, int W, const ck_input_map *map, const float *w,
                           const float *bias, int K, int k, int stride, int pad, int OH, int OW, float *y,
                           int accumulate, int row_begin, int row_end) {
  if (map && map->reflect && (pad >= H || pad >= W)) return -2;
  return (has_avx512f() ? conv2d_avx512 : conv2d_avx2)(x, C, H, W, map, w, bias, K, k, stride, pad, OH, OW, y,
                                                      accumulate, row_begin, row_end);
}

int ck_conv2d_small_backward_weight(const float *dy, const float *x, int C, int H, int W, int K, int k, int stride,
                                    int pad, int OH, int OW, float *dw, int row_begin, int row_end) {
  return (has_avx512f() ? conv2d_weight_avx512 : conv2d_weight_avx2)(dy, x, C, H, W, K, k, stride, pad, OH, OW, dw,
                                                                    row_begin, row_end);
}

int ck_conv_transpose2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k,
                              int stride, int pad, int OH, int OW, float *y, int accumulate, int row_begin,
                              int row_end) {
  return (has_avx512f() ? conv_transpose2d_avx512 : conv_transpose2d_avx2)(x, C, H, W, w, bias, K, k, stride, pad, OH,
                                                                          OW, y, accumulate, row_begin, row_end);
}
#else
// Without x86 the callers never choose these kernels (ck_has_avx2_fma() is 0).
int ck_conv2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k, int stride,
                    int pad, int OH, int OW, float *y, int accumulate, int row_begin, int row_end) {
  abort();
}
int ck_conv2d_small_mapped(const float *x, int C, int H, int W, const ck_input_map *map, const float *w,
                           const float *bias, int K, int k, int stride, int pad, int OH, int OW, float *y,
                           int accumulate, int row_begin, int row_end) {
  abort();
}
int ck_conv_transpose2d_small(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k,
                              int stride, int pad, int OH, int OW, float *y, int accumulate, int row_begin,
                              int row_end) {
  abort();
}
int ck_conv2d_small_backward_weight(const float *dy, const float *x, int C, int H, int W, int K, int k, int stride,
                                    int pad, int OH, int OW, float *dw, int row_begin, int row_end) {
  abort();
}
#endif
