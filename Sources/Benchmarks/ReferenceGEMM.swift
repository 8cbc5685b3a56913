// The yardstick of `translate bench convs`: cblas_sgemm itself with BLAS's own threads, on the GEMM that is
// equivalent to a convolution. The engine never calls this (its `gemm` keeps BLAS at one thread and splits
// the work itself); only the benchmarks compare against it.

#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// C = op(A) · op(B), row-major, on `threads` BLAS threads. Not to be called while other work runs: BLAS's
/// thread count is process-wide, and is put back to one afterwards.
func referenceGEMM(
  threads: Int, transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int,
  _ b: UnsafePointer<Float>, ldb: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  #if !canImport(Accelerate)
  openblas_set_num_threads(Int32(threads))
  defer { openblas_set_num_threads(1) }
  #endif
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
}
