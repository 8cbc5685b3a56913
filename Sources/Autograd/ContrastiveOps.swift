// Differentiable pieces of the PatchNCE loss (CUT, Park et al. ECCV 2020; taesungp's patchnce.py and
// Normalize): row L2 normalization, the logits of positives and same-image negatives, and the cross-entropy
// of logit rows against class 0. Kernels in TensorCore/PatchKernels.swift.

/// x: (R, D) → x / (‖x‖₂ + eps) per row (taesungp's Normalize(2), eps 1e-7).
public func l2NormalizedRows(_ x: Variable, eps: Float = 1e-7) -> Variable {
  precondition(x.value.rank == 2, "l2NormalizedRows: expects (R, D), got \(x.shape)")
  let xv = x.value
  let (rows, cols) = (xv.shape[0], xv.shape[1])
  var norms = Tensor(zeros: [rows])
  let y = Tensor(shape: xv.shape) { y in
    norms.withUnsafeMutableBufferPointer {
      l2NormalizeRowsForward(xv.pointer, rows: rows, cols: cols, eps: eps, y.baseAddress!, norms: $0.baseAddress!)
    }
  }
  return Variable(y, parents: [x]) { [norms] dy in
    var dx = Tensor(zeros: xv.shape)
    dx.withUnsafeMutableBufferPointer {
      l2NormalizeRowsBackward(
        dy.pointer, xv.pointer, norms: norms.pointer, rows: rows, cols: cols, eps: eps, $0.baseAddress!)
    }
    return [dx]
  }
}

/// query: (N·P, D), key: (N·P, D) constants (detached, as patchnce.py) → logits (N·P, 1 + P): column 0 the
/// positive ⟨qᵢ, kᵢ⟩/T, then the P keys of the same image with the diagonal masked to maskValue/T.
public func patchLogits(query: Variable, key: Tensor, images: Int, temperature: Float, maskValue: Float = -10)
  -> Variable
{
  precondition(query.shape == key.shape && query.value.rank == 2, "patchLogits: query \(query.shape), key \(key.shape)")
  precondition(images > 0 && query.shape[0] % images == 0, "patchLogits: \(query.shape[0]) rows for \(images) images")
  let (rows, d) = (query.shape[0], query.shape[1])
  let p = rows / images
  let qv = query.value
  let logits = Tensor(shape: [rows, 1 + p]) {
    patchLogitsForward(
      qv.pointer, key.pointer, images: images, patches: p, dim: d, temperature: temperature,
      maskValue: maskValue, $0.baseAddress!)
  }
  return Variable(logits, parents: [query]) { dlogits in
    var dq = Tensor(zeros: [rows, d])
    dq.withUnsafeMutableBufferPointer {
      patchLogitsBackward(
        dlogits.pointer, key.pointer, images: images, patches: p, dim: d, temperature: temperature,
        $0.baseAddress!)
    }
    return [dq]
  }
}

/// logits: (R, K) → (R): −log softmax(zᵣ)₀, torch.nn.CrossEntropyLoss(reduction='none') with targets 0.
public func crossEntropyClassZero(_ logits: Variable) -> Variable {
  precondition(
    logits.value.rank == 2 && logits.shape[1] > 0, "crossEntropyClassZero: expects (R, K), got \(logits.shape)")
  let (rows, k) = (logits.shape[0], logits.shape[1])
  let z = logits.value
  var softmax = Tensor(zeros: [rows, k])
  let losses = Tensor(shape: [rows]) { out in
    softmax.withUnsafeMutableBufferPointer {
      crossEntropyClassZeroForward(z.pointer, rows: rows, classes: k, out.baseAddress!, softmax: $0.baseAddress!)
    }
  }
  return Variable(losses, parents: [logits]) { [softmax] dlosses in
    var dz = Tensor(zeros: [rows, k])
    dz.withUnsafeMutableBufferPointer {
      crossEntropyClassZeroBackward(dlosses.pointer, softmax: softmax.pointer, rows: rows, classes: k, $0.baseAddress!)
    }
    return [dz]
  }
}
