// The Gram matrix of feature maps (Gatys, Ecker & Bethge, CVPR 2016, eq. 3), normalized by the feature count
// as Johnson et al. (ECCV 2016): G = F·Fᵀ / (C·H·W). Forward and backward kernels side by side, each one GEMM
// per image, with the naive Double twin the tests compare against.

/// x: (N, C, H, W) → G: (N, C, C), G[n] = F·Fᵀ / (C·H·W) with F = x[n] viewed as (C, H·W).
public func gramForward(_ x: UnsafePointer<Float>, n: Int, c: Int, plane: Int, _ g: UnsafeMutablePointer<Float>) {
  let scale = 1 / Float(c * plane)
  for b in 0..<n {
    let f = x + b * c * plane
    gemm(transB: true, m: c, n: c, k: plane, alpha: scale, f, lda: plane, f, ldb: plane, g + b * c * c, ldc: c)
  }
}

/// dG: (N, C, C), x: (N, C, H, W) → dx += (dG + dGᵀ)·F / (C·H·W), accumulated.
public func gramBackward(
  _ dg: UnsafePointer<Float>, _ x: UnsafePointer<Float>, n: Int, c: Int, plane: Int, _ dx: UnsafeMutablePointer<Float>
) {
  let scale = 1 / Float(c * plane)
  let symmetric = UnsafeMutablePointer<Float>.allocate(capacity: c * c)
  defer { symmetric.deallocate() }
  for b in 0..<n {
    let d = dg + b * c * c
    for i in 0..<c { for j in 0..<c { symmetric[i * c + j] = d[i * c + j] + d[j * c + i] } }
    gemm(
      m: c, n: plane, k: c, alpha: scale, symmetric, lda: c, x + b * c * plane, ldb: plane,
      beta: 1, dx + b * c * plane, ldc: plane)
  }
}

/// Naive twin of `gramForward`, accumulating in Double. x: (N, C, H, W) → (N, C, C).
public func gramNaive(_ x: Tensor) -> Tensor {
  precondition(x.rank == 4, "gramNaive: expects (N, C, H, W), got \(x.shape)")
  let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
  return Tensor(shape: [n, c, c]) { g in
    for b in 0..<n {
      for i in 0..<c {
        for j in 0..<c {
          var s = 0.0
          for p in 0..<plane {
            s += Double(x[flat: (b * c + i) * plane + p]) * Double(x[flat: (b * c + j) * plane + p])
          }
          g[(b * c + i) * c + j] = Float(s / Double(c * plane))
        }
      }
    }
  }
}

/// Differentiable Gram matrix. x: (N, C, H, W) → (N, C, C), G[n] = F·Fᵀ / (C·H·W).
public func gram(_ x: Variable) -> Variable {
  precondition(x.value.rank == 4, "gram: expects (N, C, H, W), got \(x.shape)")
  let xv = x.value
  let (n, c, plane) = (xv.shape[0], xv.shape[1], xv.shape[2] * xv.shape[3])
  let g = Tensor(shape: [n, c, c]) { gramForward(xv.pointer, n: n, c: c, plane: plane, $0.baseAddress!) }
  return Variable(g, parents: [x]) { dg in
    var dx = Tensor(zeros: xv.shape)
    dx.withUnsafeMutableBufferPointer {
      gramBackward(dg.pointer, xv.pointer, n: n, c: c, plane: plane, $0.baseAddress!)
    }
    return [dx]
  }
}
