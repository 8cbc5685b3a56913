// Activations over contiguous floats (activations.c): AVX2/FMA where the CPU has it, libm elsewhere.
#ifndef CK_ACTIVATIONS_H
#define CK_ACTIVATIONS_H

/// y[i] = tanh(x[i]) for i in [0, n); y may be x. Within 3 ulp of the correctly rounded value (the tests sweep
/// every float exponent), ±1 beyond |x| = 9.1, NaN stays NaN.
void ck_tanh(const float *x, float *y, long n);

#endif
