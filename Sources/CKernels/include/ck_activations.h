// Activations over contiguous floats (activations.c): AVX2/FMA where the CPU has it, libm elsewhere.
#ifndef CK_ACTIVATIONS_H
#define CK_ACTIVATIONS_H

/// y[i] = tanh(x[i]) for i in [0, n); y may be x. Within 3 ulp of the correctly rounded value (the tests sweep
/// every float exponent), ±1 beyond |x| = 9.1, NaN stays NaN.
void ck_tanh(const float *x, float *y, long n);

/// y[i] = x[i]·scale + shift for i in [0, n), rounded after the multiply and after the add (no fused
/// multiply-add: the same bits as Swift's `x * scale + shift`), then with `relu` max(·, 0) as `v > 0 ? v : 0`
/// (NaN and −0 give +0); y may be x. A normalization's per-plane apply.
void ck_scale_shift(const float *x, float *y, long n, float scale, float shift, int relu);

#endif
