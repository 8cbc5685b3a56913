import TensorCore
import TestSupport
import Testing

@Suite struct GEMMTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func gemmMatchesNaiveForEveryTransposition(transA: Bool, transB: Bool) {
    #expect(gemmDifference(m: 7, n: 13, k: 5, transA: transA, transB: transB) < 1e-5)
  }

  @Test func matmulAgreesWithTransposedForms() {
    let a = randomTensor([4, 6], seed: 4)
    let b = randomTensor([6, 3], seed: 5)
    let ab = matmul(a, b)
    var bt = Tensor(zeros: [3, 6])
    for i in 0..<6 { for j in 0..<3 { bt[j, i] = b[i, j] } }
    #expect(maxAbsDifference(ab, matmul(a, bt, transB: true)) < 1e-6)
    #expect(ab.shape == [4, 3])
  }
}

@Suite struct GEMMSplitTests {
  /// Large enough to be split over threads: by columns (n ≥ m) and by rows, every transposition, odd sizes.
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func splitGEMMMatchesNaive(transA: Bool, transB: Bool) {
    for (m, n, k) in [(37, 301, 97), (301, 37, 97)] {
      #expect(m * n * k >= 1 << 20)
      #expect(gemmDifference(m: m, n: n, k: k, transA: transA, transB: transB) < 1e-4)
    }
  }
}

/// max |gemm − gemmNaive| for C = 0.5·op(A)·op(B) + 2·C on seeded operands.
func gemmDifference(m: Int, n: Int, k: Int, transA: Bool, transB: Bool) -> Float {
  let a = randomTensor(transA ? [k, m] : [m, k], seed: 1)
  let b = randomTensor(transB ? [n, k] : [k, n], seed: 2)
  let c0 = randomTensor([m, n], seed: 3)
  var fast = c0
  var naive = c0
  fast.withUnsafeMutableBufferPointer {
    gemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a.pointer, lda: a.shape[1],
      b.pointer, ldb: b.shape[1], beta: 2, $0.baseAddress!, ldc: n)
  }
  naive.withUnsafeMutableBufferPointer {
    gemmNaive(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a.pointer, lda: a.shape[1],
      b.pointer, ldb: b.shape[1], beta: 2, $0.baseAddress!, ldc: n)
  }
  return maxAbsDifference(fast, naive)
}
