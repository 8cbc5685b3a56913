// CBLAS through OpenBLAS. Linked as `openblas`, never `blas`: elsewhere `blas` may be the slow reference BLAS.
#include <cblas.h>
// Declared here too so that a cblas.h from another provider still compiles; OpenBLAS defines it.
void openblas_set_num_threads(int num_threads);
// The kernel set OpenBLAS chose when it loaded ("Haswell", "SkylakeX", "Zen", or "Prescott" when it did not
// recognise the CPU); OpenBLAS defines it.
char *openblas_get_corename(void);
