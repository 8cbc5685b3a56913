// Reductions for normalization statistics and bias gradients: a serial float sum is one add per 3–4 cycles
// (each add waits for the last); 32 independent lanes in AVX2 registers are ~20× faster. Partial sums are
// flushed to double every 4096 elements, so the result does not drift on large planes. The statistics take one
// pass over memory (ck_moments): a plane of 64–256 MiB at 2048² is read from DRAM once instead of twice.
#include "ckernels.h"
#include "ck_target.h"
#if CK_X86
#include <immintrin.h>
#endif

#define FLUSH 4096

// What a lane accumulates: (x − c), (x − c)², or a·(x − c).
enum kind { SUM, SQUARES, DOT };

#if CK_X86
CK_AVX2 static inline __m256 step_avx2(const float *a, const float *x, __m256 c, int kind, __m256 acc) {
  const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x), c);
  return kind == SUM ? _mm256_add_ps(acc, d)
       : kind == SQUARES ? _mm256_fmadd_ps(d, d, acc) : _mm256_fmadd_ps(_mm256_loadu_ps(a), d, acc);
}

CK_AVX2 static double reduce_avx2(const float *a, const float *x, long n, float center, int kind) {
  double total = 0;
  const __m256 c = _mm256_set1_ps(center);
  for (long start = 0; start < n; start += FLUSH) {
    const long end = start + FLUSH < n ? start + FLUSH : n;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    long i = start;
    for (; i + 32 <= end; i += 32) {  // four independent chains of 8 lanes
      a0 = step_avx2(a + i, x + i, c, kind, a0);
      a1 = step_avx2(a + i + 8, x + i + 8, c, kind, a1);
      a2 = step_avx2(a + i + 16, x + i + 16, c, kind, a2);
      a3 = step_avx2(a + i + 24, x + i + 24, c, kind, a3);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    float block = 0;
    for (int k = 0; k < 8; k++) block += lanes[k];
    for (; i < end; i++) {
      const float d = x[i] - center;
      block += kind == SUM ? d : kind == SQUARES ? d * d : a[i] * d;
    }
    total += block;
  }
  return total;
}
#endif

static double reduce_generic(const float *a, const float *x, long n, float center, int kind) {
  double total = 0;
  for (long start = 0; start < n; start += FLUSH) {
    const long end = start + FLUSH < n ? start + FLUSH : n;
    float acc[8] = {0};
    long i = start;
    for (; i + 8 <= end; i += 8) {
      for (int k = 0; k < 8; k++) {
        const float d = x[i + k] - center;
        acc[k] += kind == SUM ? d : kind == SQUARES ? d * d : a[i + k] * d;
      }
    }
    float block = 0;
    for (int k = 0; k < 8; k++) block += acc[k];
    for (; i < end; i++) {
      const float d = x[i] - center;
      block += kind == SUM ? d : kind == SQUARES ? d * d : a[i] * d;
    }
    total += block;
  }
  return total;
}

static double reduce(const float *a, const float *x, long n, float center, int kind) {
#if CK_X86
  if (ck_has_avx2_fma()) return reduce_avx2(a, x, n, center, kind);
#endif
  return reduce_generic(a, x, n, center, kind);
}

// `a` is only read for DOT; the others pass x there (offsetting a null pointer would be undefined behaviour).
double ck_sum(const float *x, long n) { return reduce(x, x, n, 0.0f, SUM); }

double ck_sum_squared_deviations(const float *x, long n, float center) { return reduce(x, x, n, center, SQUARES); }

double ck_dot_centered(const float *a, const float *x, long n, float center) { return reduce(a, x, n, center, DOT); }

void ck_moments(const float *x, long n, double *mean, double *m2) {
  double count = 0, mu = 0, sq = 0;
  for (long start = 0; start < n; start += FLUSH) {
    const long len = start + FLUSH < n ? FLUSH : n - start;
    // This run: its mean, and its squared deviations about that mean rounded to float (the lanes' center),
    // corrected to the run's own mean: Σ (x − m)² = Σ (x − c)² − len·(m − c)².
    const double run_mean = reduce(x + start, x + start, len, 0.0f, SUM) / (double)len;
    const float center = (float)run_mean;
    const double shift = run_mean - (double)center;
    const double run_sq = reduce(x + start, x + start, len, center, SQUARES) - (double)len * shift * shift;
    // Chan et al.: merge (count, mu, sq) with (len, run_mean, run_sq).
    const double total = count + (double)len, delta = run_mean - mu;
    mu += delta * (double)len / total;
    sq += run_sq + delta * delta * count * (double)len / total;
    count = total;
  }
  *mean = mu;
  *m2 = sq;
}
