// GEMM: the only BLAS call site in the product (OpenBLAS on Linux, Accelerate on macOS), in `gemmSerial`.

#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// C = alpha · op(A) · op(B) + beta · C, row-major.
/// op(A): (m, k) with leading dimension lda; op(B): (k, n) with ldb; C: (m, n) with ldc.
/// With `transA`, A is stored as (k, m); with `transB`, B is stored as (n, k).
///
/// Threads are ours, not BLAS's: the larger of C's two dimensions is split over `ComputeThreads` and each part is
/// a single-threaded BLAS call. OpenBLAS's own workers busy-wait (sched_yield) between calls and took 15–17% of
/// the CPU of a generator forward pass from the transforms running between GEMMs; with BLAS held at one
/// thread they never run. Must not be called inside `parallelFor` (use `gemmSerial` there). On macOS both are
/// Accelerate's own call, threads and all.
public func gemm(
  transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  #if canImport(Accelerate)
  gemmSerial(
    transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
  #else
  let threads = ComputeThreads.count
  guard threads > 1, m * n * k >= GEMMSplit.minMultiplyAdds, max(m, n) >= 2 * GEMMSplit.unit else {
    gemmSerial(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
    return
  }
  let (ap, bp, cp) = (SendablePointer(a), SendablePointer(b), SendablePointer(c))
  let splitColumns = n >= m
  let units = ((splitColumns ? n : m) + GEMMSplit.unit - 1) / GEMMSplit.unit
  parallelFor(units) { part in
    let lo = part.lowerBound * GEMMSplit.unit
    let hi = min(part.upperBound * GEMMSplit.unit, splitColumns ? n : m)
    if splitColumns {
      gemmSerial(
        transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha, ap.base, lda: lda,
        bp.base + (transB ? lo * ldb : lo), ldb: ldb, beta: beta, cp.base + lo, ldc: ldc)
    } else {
      gemmSerial(
        transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha,
        ap.base + (transA ? lo : lo * lda), lda: lda, bp.base, ldb: ldb, beta: beta, cp.base + lo * ldc, ldc: ldc)
    }
  }
  #endif
}

enum GEMMSplit {
  /// Rows or columns per unit of work: a multiple of the BLAS kernels' register blocks (16 columns, 8 rows on
  /// AVX2 Zen kernels); column offsets stay 64-byte aligned when C's are.
  static let unit = 16
  /// Below this a second thread costs more than it saves (~0.5 µs to dispatch, ~20 µs of work at 100 GFLOP/s).
  static let minMultiplyAdds = 1 << 20
}

/// `gemm` on the calling thread only (OpenBLAS held at one thread): safe inside `parallelFor` bodies.
public func gemmSerial(
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
  BLASThreads.holdAtOne()
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// BLAS's own thread count: one, always (our `gemm` splits the work over threads itself).
enum BLASThreads {
  private static let once: Void = {
    #if !canImport(Accelerate)
    openblas_set_num_threads(1)
    #endif
  }()
  static func holdAtOne() { _ = once }
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
