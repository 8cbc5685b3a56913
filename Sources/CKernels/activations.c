// Activations over contiguous floats: tanh, and the affine map (+ ReLU) that applies a normalization.
//
// tanh over contiguous floats with AVX2/FMA, 8 lanes at a time (glibc's scalar tanhf costs ~9 ns an element,
// the generator's last layer over a 24 MP image: 0.7 s). For a = |x|:
//   a < 0.55: a + a³·q(a²), q a degree-5 least-squares fit of (tanh(a)/a − 1)/a² on [0, 0.55] (< 0.8 ulp);
//   else:     1 − 2 / (e^(2a) + 1), e^y = 2ⁿ·e^r with y = n·ln 2 + r (ln 2 in two parts), |r| ≤ ln 2 / 2,
//             e^r by its Taylor polynomial of degree 7 (truncation < 10⁻⁸);
// a is clamped to 9.1 (tanh rounds to 1 from 9.01 on), the sign of x is put back last. The last n mod 8
// elements run through the same lanes from a padded copy, so every element gets the same formula.
#include "ck_activations.h"
#include "ckernels.h"
#include "ck_target.h"
#include <math.h>
#include <string.h>
#if CK_X86
#include <immintrin.h>

CK_AVX2 static inline __m256 tanh8(__m256 x) {
  const __m256 sign_bit = _mm256_set1_ps(-0.0f);
  const __m256 sign = _mm256_and_ps(x, sign_bit);
  // min(9.1, a) keeps a NaN (the second operand is returned when either is NaN).
  const __m256 a = _mm256_min_ps(_mm256_set1_ps(9.1f), _mm256_andnot_ps(sign_bit, x));

  const __m256 s = _mm256_mul_ps(a, a);
  __m256 q = _mm256_set1_ps(2.543693874e-03f);
  q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(-8.540046401e-03f));
  q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(2.182232589e-02f));
  q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(-5.396516249e-02f));
  q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(1.333332658e-01f));
  q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(-3.333333433e-01f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(a, s), q, a);

  const __m256 y = _mm256_add_ps(a, a);
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(y, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), y);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 e = _mm256_set1_ps(1.0f / 5040);
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(1.0f / 720));
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(1.0f / 120));
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(1.0f / 24));
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(1.0f / 6));
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(0.5f));
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(1.0f));
  e = _mm256_fmadd_ps(e, r, _mm256_set1_ps(1.0f));
  const __m256i power = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  e = _mm256_mul_ps(e, _mm256_castsi256_ps(power));
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 large = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));

  const __m256 is_small = _mm256_cmp_ps(a, _mm256_set1_ps(0.55f), _CMP_LT_OQ);
  return _mm256_or_ps(_mm256_blendv_ps(large, small, is_small), sign);
}

CK_AVX2 static void tanh_avx2(const float *x, float *y, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, tanh8(_mm256_loadu_ps(x + i)));
  if (i < n) {
    float lanes[8] = {0};
    memcpy(lanes, x + i, (size_t)(n - i) * sizeof(float));
    _mm256_storeu_ps(lanes, tanh8(_mm256_loadu_ps(lanes)));
    memcpy(y + i, lanes, (size_t)(n - i) * sizeof(float));
  }
}
#endif

void ck_tanh(const float *x, float *y, long n) {
#if CK_X86
  if (ck_has_avx2_fma()) {
    tanh_avx2(x, y, n);
    return;
  }
#endif
  for (long i = 0; i < n; i++) y[i] = tanhf(x[i]);
}

#if CK_X86
// 16 floats a step in two 8-lane halves (two independent chains); max(v, 0) returns its second operand, 0, when
// v is NaN, and +0 for v = −0, as `v > 0 ? v : 0`.
CK_AVX2 static void scale_shift_avx2(const float *x, float *y, long n, float scale, float shift, int relu) {
  const __m256 s = _mm256_set1_ps(scale), b = _mm256_set1_ps(shift), zero = _mm256_setzero_ps();
  long i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 v0 = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), s), b);
    __m256 v1 = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8), s), b);
    if (relu) {
      v0 = _mm256_max_ps(v0, zero);
      v1 = _mm256_max_ps(v1, zero);
    }
    _mm256_storeu_ps(y + i, v0);
    _mm256_storeu_ps(y + i + 8, v1);
  }
  for (; i < n; i++) {
    const float p = x[i] * scale;  // two statements: never contracted into an FMA
    const float v = p + shift;
    y[i] = relu ? (v > 0 ? v : 0.0f) : v;
  }
}
#endif

void ck_scale_shift(const float *x, float *y, long n, float scale, float shift, int relu) {
#if CK_X86
  if (ck_has_avx2_fma()) {
    scale_shift_avx2(x, y, n, scale, shift, relu);
    return;
  }
#endif
  for (long i = 0; i < n; i++) {
    const float p = x[i] * scale;
    const float v = p + shift;
    y[i] = relu ? (v > 0 ? v : 0.0f) : v;
  }
}
