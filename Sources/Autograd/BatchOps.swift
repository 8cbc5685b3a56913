// Differentiable concatenation and slicing along the batch axis (torch.cat(dim=0) and x[a:b]): CUT runs its
// generator once on real A and real B together and splits the result.

/// (N₁, …), (N₂, …), … with equal trailing shapes → (ΣNᵢ, …)
public func concatBatch(_ parts: [Variable]) -> Variable {
  precondition(!parts.isEmpty, "concatBatch: no parts")
  let tail = Array(parts[0].shape.dropFirst())
  precondition(parts.allSatisfy { Array($0.shape.dropFirst()) == tail }, "concatBatch: \(parts.map(\.shape))")
  let counts = parts.map { $0.value.count }
  let batches = parts.map { $0.shape[0] }
  let y = Tensor(shape: [batches.reduce(0, +)] + tail) { out in
    var offset = 0
    for (part, count) in zip(parts, counts) {
      (out.baseAddress! + offset).update(from: part.value.pointer, count: count)
      offset += count
    }
  }
  return Variable(y, parents: parts) { dy in
    var offset = 0
    return zip(batches, counts).map { batch, count in
      defer { offset += count }
      return Tensor(shape: [batch] + tail) { $0.baseAddress!.update(from: dy.pointer + offset, count: count) }
    }
  }
}

/// x: (N, …) → x[range]: (range.count, …); the gradient is dy zero-filled back to N.
public func batchSlice(_ x: Variable, _ range: Range<Int>) -> Variable {
  let shape = x.shape
  precondition(range.lowerBound >= 0 && range.upperBound <= shape[0], "batchSlice: \(range) of \(shape)")
  let per = shape.dropFirst().reduce(1, *)
  let xv = x.value
  let y = Tensor(shape: [range.count] + shape.dropFirst()) {
    $0.baseAddress!.update(from: xv.pointer + range.lowerBound * per, count: range.count * per)
  }
  return Variable(y, parents: [x]) { dy in
    var dx = Tensor(zeros: shape)
    dx.withUnsafeMutableBufferPointer {
      ($0.baseAddress! + range.lowerBound * per).update(from: dy.pointer, count: dy.count)
    }
    return [dx]
  }
}
