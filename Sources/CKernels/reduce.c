// Reductions for normalization statistics and bias gradients: a serial float sum is one add per 3–4 cycles
// (each add waits for the last); 32 independent lanes in AVX2 registers are ~20× faster. Partial sums are
// flushed to double every 4096 elements, so the result does not drift on large planes.
#include "ckernels.h"
#include "ck_target.h"
#if CK_X86
#include <immintrin.h>
#endif

#define FLUSH 4096

#if CK_X86
CK_AVX2 static double sum_avx2(const float *x, long n, float center, int squares) {
  double total = 0;
  const __m256 c = _mm256_set1_ps(center);
  for (long start = 0; start < n; start += FLUSH) {
    const long end = start + FLUSH < n ? start + FLUSH : n;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    long i = start;
    for (; i + 32 <= end; i += 32) {
      __m256 v0 = _mm256_sub_ps(_mm256_loadu_ps(x + i), c), v1 = _mm256_sub_ps(_mm256_loadu_ps(x + i + 8), c);
      __m256 v2 = _mm256_sub_ps(_mm256_loadu_ps(x + i + 16), c), v3 = _mm256_sub_ps(_mm256_loadu_ps(x + i + 24), c);
      if (squares) {
        a0 = _mm256_fmadd_ps(v0, v0, a0); a1 = _mm256_fmadd_ps(v1, v1, a1);
        a2 = _mm256_fmadd_ps(v2, v2, a2); a3 = _mm256_fmadd_ps(v3, v3, a3);
      } else {
        a0 = _mm256_add_ps(a0, v0); a1 = _mm256_add_ps(a1, v1); a2 = _mm256_add_ps(a2, v2); a3 = _mm256_add_ps(a3, v3);
      }
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    float block = 0;
    for (int k = 0; k < 8; k++) block += lanes[k];
    for (; i < end; i++) { const float d = x[i] - center; block += squares ? d * d : d; }
    total += block;
  }
  return total;
}
#endif

static double sum_generic(const float *x, long n, float center, int squares) {
  double total = 0;
  for (long start = 0; start < n; start += FLUSH) {
    const long end = start + FLUSH < n ? start + FLUSH : n;
    float acc[8] = {0};
    long i = start;
    for (; i + 8 <= end; i += 8) {
      for (int k = 0; k < 8; k++) { const float d = x[i + k] - center; acc[k] += squares ? d * d : d; }
    }
    float block = 0;
    for (int k = 0; k < 8; k++) block += acc[k];
    for (; i < end; i++) { const float d = x[i] - center; block += squares ? d * d : d; }
    total += block;
  }
  return total;
}

#if CK_X86
#define SUM (ck_has_avx2_fma() ? sum_avx2 : sum_generic)
#define DOT (ck_has_avx2_fma() ? dot_avx2 : dot_generic)
#else
#define SUM sum_generic
#define DOT dot_generic
#endif

double ck_sum(const float *x, long n) { return SUM(x, n, 0.0f, 0); }

double ck_sum_squared_deviations(const float *x, long n, float center) { return SUM(x, n, center, 1); }

#if CK_X86
CK_AVX2 static double dot_avx2(const float *a, const float *x, long n, float center) {
  double total = 0;
  const __m256 c = _mm256_set1_ps(center);
  for (long start = 0; start < n; start += FLUSH) {
    const long end = start + FLUSH < n ? start + FLUSH : n;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    long i = start;
    for (; i + 32 <= end; i += 32) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_sub_ps(_mm256_loadu_ps(x + i), c), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_sub_ps(_mm256_loadu_ps(x + i + 8), c), a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_sub_ps(_mm256_loadu_ps(x + i + 16), c), a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_sub_ps(_mm256_loadu_ps(x + i + 24), c), a3);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    float block = 0;
    for (int k = 0; k < 8; k++) block += lanes[k];
    for (; i < end; i++) block += a[i] * (x[i] - center);
    total += block;
  }
  return total;
}
#endif

static double dot_generic(const float *a, const float *x, long n, float center) {
  double total = 0;
  for (long start = 0; start < n; start += FLUSH) {
    const long end = start + FLUSH < n ? start + FLUSH : n;
    float acc[8] = {0};
    long i = start;
    for (; i + 8 <= end; i += 8) {
      for (int k = 0; k < 8; k++) acc[k] += a[i + k] * (x[i + k] - center);
    }
    float block = 0;
    for (int k = 0; k < 8; k++) block += acc[k];
    for (; i < end; i++) block += a[i] * (x[i] - center);
    total += block;
  }
  return total;
}

double ck_dot_centered(const float *a, const float *x, long n, float center) { return DOT(a, x, n, center); }
