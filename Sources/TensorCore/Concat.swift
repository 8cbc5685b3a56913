// Concatenation along the channel axis (U-Net skip connections, torch.cat(dim=1)) and its backward split.

/// (N, C₁, H, W), (N, C₂, H, W), … → (N, C₁ + C₂ + …, H, W)
public func concatChannels(_ parts: [Tensor]) -> Tensor {
  precondition(!parts.isEmpty, "concatChannels: nothing to concatenate")
  let first = parts[0].shape
  for p in parts {
    precondition(p.rank == first.count && p.shape[0] == first[0] && Array(p.shape.dropFirst(2)) == Array(first.dropFirst(2)),
                 "concatChannels: \(p.shape) vs \(first)")
  }
  let n = first[0], plane = first.dropFirst(2).reduce(1, *)
  let total = parts.reduce(0) { $0 + $1.shape[1] }
  return Tensor(shape: [n, total] + first.dropFirst(2)) { y in
    for b in 0..<n {
      var offset = b * total * plane
      for p in parts {
        let size = p.shape[1] * plane
        (y.baseAddress! + offset).update(from: p.pointer + b * size, count: size)
        offset += size
      }
    }
  }
}

/// dy: (N, ΣCᵢ, H, W) → [dyᵢ: (N, Cᵢ, H, W)] for the given channel counts.
public func splitChannels(_ dy: Tensor, _ channels: [Int]) -> [Tensor] {
  let n = dy.shape[0], total = dy.shape[1], plane = dy.shape.dropFirst(2).reduce(1, *)
  precondition(channels.reduce(0, +) == total, "splitChannels: \(channels) from \(dy.shape)")
  var start = 0
  return channels.map { c in
    defer { start += c }
    return Tensor(shape: [n, c] + dy.shape.dropFirst(2)) { out in
      for b in 0..<n {
        (out.baseAddress! + b * c * plane).update(from: dy.pointer + (b * total + start) * plane, count: c * plane)
      }
    }
  }
}
