// Matrix product and the fully connected layer (PyTorch nn.Linear: y = x·Wᵀ + b), through `gemm`.

/// a: (M, K) · b: (K, N) → (M, N); with `transA` a is (K, M), with `transB` b is (N, K).
public func matmul(_ a: Tensor, _ b: Tensor, transA: Bool = false, transB: Bool = false) -> Tensor {
  precondition(a.rank == 2 && b.rank == 2, "matmul: \(a.shape) · \(b.shape)")
  let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
  let (k2, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
  precondition(k == k2, "matmul: inner dimensions \(a.shape)\(transA ? "ᵀ" : "") · \(b.shape)\(transB ? "ᵀ" : "")")
  return Tensor(shape: [m, n]) { c in
    gemm(
      transA: transA, transB: transB, m: m, n: n, k: k, a.pointer, lda: a.shape[1], b.pointer, ldb: b.shape[1],
      c.baseAddress!, ldc: n)
  }
}

/// x: (N, in), weight: (out, in), bias: (out)? → (N, out)
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
  precondition(
    x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1], "linear: \(x.shape) with weight \(weight.shape)")
  var y = matmul(x, weight, transB: true)
  if let bias {
    precondition(bias.shape == [weight.shape[0]], "linear: bias \(bias.shape) for weight \(weight.shape)")
    let out = weight.shape[0]
    y.withUnsafeMutableBufferPointer { yb in
      for r in 0..<x.shape[0] { for o in 0..<out { yb[r * out + o] += bias.pointer[o] } }
    }
  }
  return y
}
