// Instruction-set selection shared by the C kernels: on x86 the fast paths are compiled for AVX2/FMA with a
// function attribute (no build flags) and chosen at run time; elsewhere only the portable paths exist.
#ifndef CK_TARGET_H
#define CK_TARGET_H

#if defined(__x86_64__) || defined(__i386__)
#define CK_X86 1
#define CK_AVX2 __attribute__((target("avx2,fma")))
#else
#define CK_X86 0
#define CK_AVX2
#endif

#endif
