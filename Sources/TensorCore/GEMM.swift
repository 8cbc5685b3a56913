// GEMM: the only BLAS call site in the product (OpenBLAS on Linux, Accelerate on macOS).

#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// C = alpha · op(A) · op(B) + beta · C, row-major.
/// op(A): (m, k) with leading dimension lda; op(B): (k, n) with ldb; C: (m, n) with ldc.
/// With `transA`, A is stored as (k, m); with `transB`, B is stored as (n, k).
public func gemm(
  transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  guard m > 0, n > 0 else { return }
  guard k > 0 else {
    // BLAS leaves C untouched for k = 0 only when beta = 1; scale explicitly so beta is honoured.
    for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
    return
  }
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Naive twin of `gemm`, accumulating in Double. Used by tests.
public func gemmNaive(
  transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k {
        let av = transA ? a[p * lda + i] : a[i * lda + p]
        let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
        s += Double(av) * Double(bv)
      }
      let prior = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
      c[i * ldc + j] = Float(Double(alpha) * s + prior)
    }
  }
}
