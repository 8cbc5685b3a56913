// Concatenation along the channel axis (U-Net skip connections, torch.cat(dim=1)) and its backward split;
// stacking images into a batch along the first axis (torch.cat(dim=0) of (1, C, H, W) items) and its inverse.

/// (N, C₁, H, W), (N, C₂, H, W), … → (N, C₁ + C₂ + …, H, W)
public func concatChannels(_ parts: [Tensor]) -> Tensor {
  precondition(!parts.isEmpty, "concatChannels: nothing to concatenate")
  let first = parts[0].shape
  for p in parts {
    precondition(
      p.rank == first.count && p.shape[0] == first[0] && Array(p.shape.dropFirst(2)) == Array(first.dropFirst(2)),
      "concatChannels: \(p.shape) vs \(first)")
  }
  let n = first[0]
  let plane = first.dropFirst(2).reduce(1, *)
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
  let n = dy.shape[0]
  let total = dy.shape[1]
  let plane = dy.shape.dropFirst(2).reduce(1, *)
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

extension Tensor {
  /// [(1, C, H, W)] of equal shapes → (N, C, H, W): the items one after another along the first axis (any
  /// rank; items (b, …) give (N·b, …)). A single item is returned as it is (its storage shared).
  public init(stacking items: [Tensor]) {
    precondition(!items.isEmpty, "Tensor(stacking:): no items")
    let first = items[0].shape
    let per = items[0].count
    guard items.count > 1 else {
      self = items[0]
      return
    }
    self.init(shape: [items.count * first[0]] + first.dropFirst()) { out in
      for (i, t) in items.enumerated() {
        precondition(t.shape == first, "Tensor(stacking:): \(t.shape) vs \(first)")
        (out.baseAddress! + i * per).update(from: t.pointer, count: per)
      }
    }
  }

  /// (N, C, H, W) → N items (1, C, H, W), each a copy: the inverse of `init(stacking:)`.
  public func unstacked() -> [Tensor] {
    let n = shape[0]
    let per = count / max(n, 1)
    return (0..<n).map { i in
      Tensor(shape: [1] + shape.dropFirst()) { $0.baseAddress!.update(from: pointer + i * per, count: per) }
    }
  }
}
