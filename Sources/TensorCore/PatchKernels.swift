// Kernels of the contrastive patch loss (PatchNCE, Park et al. ECCV 2020; taesungp's patchnce.py and
// PatchSampleF): gathering sampled spatial positions into rows, the horizontal flip, row L2 normalization and
// the cross-entropy of logit rows against class 0. Backward kernels accumulate (`+=`). Naive twins beside them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Gathering positions

/// x: (N, C, H·W) planes, ids: (P) positions in [0, H·W) → y: (N·P, C), y[b·P + i, c] = x[b, c, ids[i]]
/// (taesungp's `feat.permute(0, 2, 3, 1).flatten(1, 2)[:, ids, :].flatten(0, 1)`).
public func gatherPositionsForward(
  _ x: UnsafePointer<Float>, n: Int, c: Int, plane: Int, ids: [Int], _ y: UnsafeMutablePointer<Float>
) {
  let p = ids.count
  for b in 0..<n {
    for (i, id) in ids.enumerated() {
      assert(id >= 0 && id < plane, "gatherPositions: position \(id) outside a plane of \(plane)")
      let row = y + (b * p + i) * c
      for ch in 0..<c { row[ch] = x[(b * c + ch) * plane + id] }
    }
  }
}

/// dy: (N·P, C) → dx: (N, C, H·W) += dy scattered back to the gathered positions (repeated ids add up).
public func gatherPositionsBackward(
  _ dy: UnsafePointer<Float>, n: Int, c: Int, plane: Int, ids: [Int], _ dx: UnsafeMutablePointer<Float>
) {
  let p = ids.count
  for b in 0..<n {
    for (i, id) in ids.enumerated() {
      let row = dy + (b * p + i) * c
      for ch in 0..<c { dx[(b * c + ch) * plane + id] += row[ch] }
    }
  }
}

// MARK: Horizontal flip

/// x: (N, C, H, W) → y: (N, C, H, W), y[…, j] = x[…, W − 1 − j] (torch.flip(x, [3])). Its own adjoint, so
/// the backward is the same kernel applied to dy.
public func flipHorizontal(_ x: Tensor) -> Tensor {
  precondition(x.rank == 4, "flipHorizontal: expects (N, C, H, W), got \(x.shape)")
  let w = x.shape[3]
  let rows = x.count / max(w, 1)
  return Tensor(shape: x.shape) { y in
    for r in 0..<rows {
      for j in 0..<w { y[r * w + j] = x.pointer[r * w + w - 1 - j] }
    }
  }
}

// MARK: Row L2 normalization

/// x: (R, D) → y: (R, D) = x / (‖x‖₂ + eps) row by row; norms: (R) receives ‖x‖₂ (taesungp's Normalize(2)).
public func l2NormalizeRowsForward(
  _ x: UnsafePointer<Float>, rows: Int, cols: Int, eps: Float, _ y: UnsafeMutablePointer<Float>,
  norms: UnsafeMutablePointer<Float>
) {
  for r in 0..<rows {
    let xr = x + r * cols
    let yr = y + r * cols
    var s: Float = 0
    for j in 0..<cols { s += xr[j] * xr[j] }
    let norm = s.squareRoot()
    norms[r] = norm
    let inverse = 1 / (norm + eps)
    for j in 0..<cols { yr[j] = xr[j] * inverse }
  }
}

/// dy, x: (R, D), norms: (R) from the forward → dx += dy/(s + eps) − x·⟨dy, x⟩ / ((s + eps)²·s), s = ‖x‖₂.
/// A zero row has no defined gradient through its norm (PyTorch gives NaN); we take only the first term.
public func l2NormalizeRowsBackward(
  _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, norms: UnsafePointer<Float>, rows: Int, cols: Int, eps: Float,
  _ dx: UnsafeMutablePointer<Float>
) {
  for r in 0..<rows {
    let dyr = dy + r * cols
    let xr = x + r * cols
    let dxr = dx + r * cols
    let s = norms[r]
    let denominator = s + eps
    var dot: Float = 0
    for j in 0..<cols { dot += dyr[j] * xr[j] }
    let radial = s > 0 ? dot / (denominator * denominator * s) : 0
    for j in 0..<cols { dxr[j] += dyr[j] / denominator - xr[j] * radial }
  }
}

/// Naive twin of `l2NormalizeRowsForward` in Double. x: (R, D) → (R, D).
public func l2NormalizeRowsNaive(_ x: Tensor, eps: Double) -> Tensor {
  let (rows, cols) = (x.shape[0], x.shape[1])
  return Tensor(shape: x.shape) { y in
    for r in 0..<rows {
      var s = 0.0
      for j in 0..<cols { s += Double(x[flat: r * cols + j]) * Double(x[flat: r * cols + j]) }
      let d = s.squareRoot() + eps
      for j in 0..<cols { y[r * cols + j] = Float(Double(x[flat: r * cols + j]) / d) }
    }
  }
}

// MARK: Cross-entropy against class 0

/// logits: (R, K) → losses: (R), losses[r] = log Σₖ exp(zᵣₖ) − zᵣ₀ (CrossEntropyLoss(reduction='none') with
/// every target 0), stable: the row maximum is subtracted first; softmax: (R, K) receives the probabilities.
public func crossEntropyClassZeroForward(
  _ z: UnsafePointer<Float>, rows: Int, classes k: Int, _ losses: UnsafeMutablePointer<Float>,
  softmax: UnsafeMutablePointer<Float>
) {
  for r in 0..<rows {
    let zr = z + r * k
    let pr = softmax + r * k
    var m = -Float.infinity
    for j in 0..<k { m = max(m, zr[j]) }
    var total: Float = 0
    for j in 0..<k {
      pr[j] = expf(zr[j] - m)
      total += pr[j]
    }
    for j in 0..<k { pr[j] /= total }
    losses[r] = logf(total) + m - zr[0]
  }
}

/// dlosses: (R), softmax: (R, K) → dz += dlossesᵣ · (softmaxᵣ − e₀).
public func crossEntropyClassZeroBackward(
  _ dlosses: UnsafePointer<Float>, softmax: UnsafePointer<Float>, rows: Int, classes k: Int,
  _ dz: UnsafeMutablePointer<Float>
) {
  for r in 0..<rows {
    let g = dlosses[r]
    let pr = softmax + r * k
    let dzr = dz + r * k
    dzr[0] += g * (pr[0] - 1)
    for j in 1..<k { dzr[j] += g * pr[j] }
  }
}

/// Naive twin of `crossEntropyClassZeroForward` in Double (no max shift). logits: (R, K) → (R).
public func crossEntropyClassZeroNaive(_ z: Tensor) -> Tensor {
  let (rows, k) = (z.shape[0], z.shape[1])
  return Tensor(shape: [rows]) { out in
    for r in 0..<rows {
      var total = 0.0
      for j in 0..<k { total += exp(Double(z[flat: r * k + j])) }
      out[r] = Float(log(total) - Double(z[flat: r * k]))
    }
  }
}

// MARK: PatchNCE logits

/// q, k: (N·P, D) rows of N images × P patches → logits: (N·P, 1 + P). Row b·P + i holds ⟨qᵢ, kᵢ⟩/T, then
/// ⟨qᵢ, kⱼ⟩/T for the P keys j of the same image, the diagonal j = i replaced by maskValue/T (patchnce.py with
/// nce_includes_all_negatives_from_minibatch False: positives first, negatives from the same image only).
public func patchLogitsForward(
  _ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, images n: Int, patches p: Int, dim d: Int,
  temperature t: Float, maskValue: Float, _ logits: UnsafeMutablePointer<Float>
) {
  let width = 1 + p
  let similarities = UnsafeMutablePointer<Float>.allocate(capacity: p * p)
  defer { similarities.deallocate() }
  for b in 0..<n {
    let qb = q + b * p * d
    let kb = k + b * p * d
    // S = q_b · k_bᵀ: (P, P)
    gemm(transB: true, m: p, n: p, k: d, qb, lda: d, kb, ldb: d, similarities, ldc: p)
    for i in 0..<p {
      let row = logits + (b * p + i) * width
      row[0] = similarities[i * p + i] / t
      for j in 0..<p { row[1 + j] = (j == i ? maskValue : similarities[i * p + j]) / t }
    }
  }
}

/// dlogits: (N·P, 1 + P), k: (N·P, D) → dq: (N·P, D) += (dposᵢ·kᵢ + Σ_{j≠i} dnegᵢⱼ·kⱼ)/T per image (the masked
/// diagonal has no gradient; the keys are constants, as patchnce.py detaches them).
public func patchLogitsBackward(
  _ dlogits: UnsafePointer<Float>, _ k: UnsafePointer<Float>, images n: Int, patches p: Int, dim d: Int,
  temperature t: Float, _ dq: UnsafeMutablePointer<Float>
) {
  let width = 1 + p
  let weights = UnsafeMutablePointer<Float>.allocate(capacity: p * p)
  defer { weights.deallocate() }
  for b in 0..<n {
    // W[i, j] = dnegᵢⱼ, plus dposᵢ on the diagonal (the positive key is kᵢ itself): dq_b += W·k_b / T.
    for i in 0..<p {
      let row = dlogits + (b * p + i) * width
      for j in 0..<p { weights[i * p + j] = j == i ? row[0] : row[1 + j] }
    }
    gemm(m: p, n: d, k: p, alpha: 1 / t, weights, lda: p, k + b * p * d, ldb: d, beta: 1, dq + b * p * d, ldc: d)
  }
}

/// Naive twin of `patchLogitsForward` in Double. q, k: (N·P, D) → (N·P, 1 + P).
public func patchLogitsNaive(_ q: Tensor, _ k: Tensor, images n: Int, temperature t: Double, maskValue: Double)
  -> Tensor
{
  let (rows, d) = (q.shape[0], q.shape[1])
  let p = rows / n
  func dot(_ i: Int, _ j: Int) -> Double {
    (0..<d).reduce(0.0) { $0 + Double(q[flat: i * d + $1]) * Double(k[flat: j * d + $1]) }
  }
  return Tensor(shape: [rows, 1 + p]) { out in
    for b in 0..<n {
      for i in 0..<p {
        let r = b * p + i
        out[r * (1 + p)] = Float(dot(r, r) / t)
        for j in 0..<p { out[r * (1 + p) + 1 + j] = Float((j == i ? maskValue : dot(r, b * p + j)) / t) }
      }
    }
  }
}
