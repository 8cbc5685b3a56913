// Optimizer updates over contiguous floats (optimizers.c): AVX2 where the CPU has it, plain C elsewhere.
#ifndef CK_OPTIMIZERS_H
#define CK_OPTIMIZERS_H

/// One Adam step (torch.optim.Adam, L2 weight decay added to the gradient) of elements [0, n), each rounded
/// after every operation in this order (no fused multiply-add, IEEE division and square root: the same bits
/// on every path):
///   g' = decay == 0 ? g : g + decay·w
///   m += one_minus_beta1 · (g' − m)                      (exp_avg.lerp_(grad, 1 − β1))
///   v  = v·beta2 + (one_minus_beta2 · g')·g'
///   w −= step_size · (m / (√v / bias2_root + eps))
void ck_adam(float *w, float *m, float *v, const float *g, long n, float one_minus_beta1, float beta2,
             float one_minus_beta2, float step_size, float bias2_root, float eps, float decay);

#endif
