// Direct small-K convolution with AVX2/FMA: output rows are computed in blocks of 32 columns whose K×4
// accumulators stay in registers while the kernel loops over input channels and taps.
#include "ckernels.h"
#include "ck_target.h"
#include <stdlib.h>

int ck_has_avx2_fma(void) {
#if CK_X86
  // Called from several threads at once: the cache is read and written atomically (a race would be benign,
  // but it is still a race).
  static int cached = -1;
  int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (value < 0) {
    __builtin_cpu_init();
    value = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
  }
  return value;
#else
  return 0;
#endif
}

int ck_has_avx512_skylakex(void) {
#if CK_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
#else
  return 0;
#endif
}

#if CK_X86
#include <immintrin.h>

#define BLOCK 32 /* output columns per register block: 4 vectors of 8 */

// One output row `oh`, columns [ow0, ow0 + 32), KC output channels: acc[o][v] += w[o,c,ki,kj] · x[c, oh+ki, ow+kj].
__attribute__((target("avx2,fma"), always_inline)) static inline void
block32(const float *x, int C, int H, int W, const float *w, int KC, int k, int oh, int ow0, __m256 acc[4][4]) {
  const int kk = k * k;
  for (int c = 0; c < C; c++) {
    for (int ki = 0; ki < k; ki++) {
      const float *in = x + ((long)c * H + oh + ki) * W + ow0;
      const float *wk = w + ((long)c * k + ki) * k;
      for (int kj = 0; kj < k; kj++) {
        __m256 v0 = _mm256_loadu_ps(in + kj), v1 = _mm256_loadu_ps(in + kj + 8);
        __m256 v2 = _mm256_loadu_ps(in + kj + 16), v3 = _mm256_loadu_ps(in + kj + 24);
        for (int o = 0; o < KC; o++) {
          __m256 wv = _mm256_broadcast_ss(wk + (long)o * C * kk + kj);
          acc[o][0] = _mm256_fmadd_ps(wv, v0, acc[o][0]);
          acc[o][1] = _mm256_fmadd_ps(wv, v1, acc[o][1]);
          acc[o][2] = _mm256_fmadd_ps(wv, v2, acc[o][2]);
          acc[o][3] = _mm256_fmadd_ps(wv, v3, acc[o][3]);
        }
      }
    }
  }
}

__attribute__((target("avx2,fma"), always_inline)) static inline void
direct_rows(const float *x, int C, int H, int W, const float *w, const float *bias, int KC, int k, float *y,
            int row_begin, int row_end) {
  const int OH = H - k + 1, OW = W - k + 1;
  const int full = OW / BLOCK * BLOCK;
  for (int oh = row_begin; oh < row_end; oh++) {
    for (int ow0 = 0; ow0 < full; ow0 += BLOCK) {
      __m256 acc[4][4];
      for (int o = 0; o < KC; o++)
        for (int v = 0; v < 4; v++) acc[o][v] = _mm256_set1_ps(bias ? bias[o] : 0.0f);
      block32(x, C, H, W, w, KC, k, oh, ow0, acc);
      for (int o = 0; o < KC; o++) {
        float *out = y + ((long)o * OH + oh) * OW + ow0;
        for (int v = 0; v < 4; v++) _mm256_storeu_ps(out + 8 * v, acc[o][v]);
      }
    }
    // Remaining columns: scalar, accumulated in the same order of c, ki, kj.
    for (int o = 0; o < KC; o++) {
      for (int ow = full; ow < OW; ow++) {
        float s = bias ? bias[o] : 0.0f;
        for (int c = 0; c < C; c++)
          for (int ki = 0; ki < k; ki++)
            for (int kj = 0; kj < k; kj++)
              s = __builtin_fmaf(w[(((long)o * C + c) * k + ki) * k + kj], x[((long)c * H + oh + ki) * W + ow + kj], s);
        y[((long)o * OH + oh) * OW + ow] = s;
      }
    }
  }
}

__attribute__((target("avx2,fma"))) void ck_conv2d_direct_forward(const float *x, int C, int H, int W,
                                                                   const float *w, const float *bias, int K, int k,
                                                                   float *y, int row_begin, int row_end) {
  // Constant KC lets the compiler keep all K×4 accumulators in registers.
  switch (K) {
  case 1: direct_rows(x, C, H, W, w, bias, 1, k, y, row_begin, row_end); break;
  case 2: direct_rows(x, C, H, W, w, bias, 2, k, y, row_begin, row_end); break;
  case 3: direct_rows(x, C, H, W, w, bias, 3, k, y, row_begin, row_end); break;
  default: direct_rows(x, C, H, W, w, bias, 4, k, y, row_begin, row_end); break;
  }
}

// dw[o, c, ki, kj] += Σ_{oh, ow} dy[o, oh, ow] · x[c, oh + ki, ow + kj]: for each (c, ki, kj), KC dot products
// over the output plane, 8 lanes at a time; the scalar tail handles OW % 8.
__attribute__((target("avx2,fma"), always_inline)) static inline void
direct_weight(const float *dy, const float *x, int C, int H, int W, int KC, int k, float *dw, int c_begin, int c_end) {
  const int OH = H - k + 1, OW = W - k + 1, full = OW / 8 * 8;
  for (int c = c_begin; c < c_end; c++) {
    for (int ki = 0; ki < k; ki++) {
      for (int kj = 0; kj < k; kj++) {
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
        float tail[4] = {0, 0, 0, 0};
        for (int oh = 0; oh < OH; oh++) {
          const float *in = x + ((long)c * H + oh + ki) * W + kj;
          for (int ow = 0; ow < full; ow += 8) {
            __m256 v = _mm256_loadu_ps(in + ow);
            for (int o = 0; o < KC; o++)
              acc[o] = _mm256_fmadd_ps(_mm256_loadu_ps(dy + ((long)o * OH + oh) * OW + ow), v, acc[o]);
          }
          for (int ow = full; ow < OW; ow++)
            for (int o = 0; o < KC; o++) tail[o] += dy[((long)o * OH + oh) * OW + ow] * in[ow];
        }
        for (int o = 0; o < KC; o++) {
          float lanes[8];
          _mm256_storeu_ps(lanes, acc[o]);
          float s = tail[o];
          for (int l = 0; l < 8; l++) s += lanes[l];
          dw[(((long)o * C + c) * k + ki) * k + kj] += s;
        }
      }
    }
  }
}

__attribute__((target("avx2,fma"))) void ck_conv2d_direct_backward_weight(const float *dy, const float *x, int C, int H,
                                                                           int W, int K, int k, float *dw, int c_begin,
                                                                           int c_end) {
  switch (K) {
  case 1: direct_weight(dy, x, C, H, W, 1, k, dw, c_begin, c_end); break;
  case 2: direct_weight(dy, x, C, H, W, 2, k, dw, c_begin, c_end); break;
  case 3: direct_weight(dy, x, C, H, W, 3, k, dw, c_begin, c_end); break;
  default: direct_weight(dy, x, C, H, W, 4, k, dw, c_begin, c_end); break;
  }
}
#else
// Without x86 the callers never choose the direct kernels (ck_has_avx2_fma() is 0).
void ck_conv2d_direct_forward(const float *x, int C, int H, int W, const float *w, const float *bias, int K, int k,
                              float *y, int row_begin, int row_end) {
  abort();
}
void ck_conv2d_direct_backward_weight(const float *dy, const float *x, int C, int H, int W, int K, int k, float *dw,
                                      int c_begin, int c_end) {
  abort();
}
#endif
