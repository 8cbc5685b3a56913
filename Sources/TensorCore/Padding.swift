// Spatial padding as PyTorch's ZeroPad2d, ReflectionPad2d (edge not repeated) and ReplicationPad2d.
// Forward gathers from a per-row/per-column source index; backward scatters (adds) back along the same map.

/// How values beyond the border are made.
public enum PaddingMode: String, Sendable, CaseIterable {
  /// Zeros (nn.ZeroPad2d).
  case zero
  /// Mirror without repeating the edge: [a b c] → b [a b c] b (nn.ReflectionPad2d).
  case reflect
  /// Repeat the edge: [a b c] → a [a b c] c (nn.ReplicationPad2d).
  case replicate
}

/// Widths added on each side of the two spatial dimensions.
public struct EdgePadding: Equatable, Sendable {
  public var top: Int, bottom: Int, left: Int, right: Int
  public init(top: Int, bottom: Int, left: Int, right: Int) {
    precondition(min(top, bottom, left, right) >= 0, "EdgePadding: negative width")
    self.top = top
    self.bottom = bottom
    self.left = left
    self.right = right
  }
  public init(_ all: Int) { self.init(top: all, bottom: all, left: all, right: all) }
}

/// For each padded position along one axis of length `n`, the source position (-1: zero).
func paddingSourceIndices(n: Int, before: Int, after: Int, mode: PaddingMode) -> [Int] {
  if mode == .reflect {
    precondition(before < n && after < n, "reflection padding (\(before), \(after)) must be smaller than the size \(n)")
  }
  return (-before..<(n + after)).map { i in
    if i >= 0 && i < n { return i }
    switch mode {
    case .zero: return -1
    case .replicate: return min(max(i, 0), n - 1)
    case .reflect: return i < 0 ? -i : 2 * (n - 1) - i
    }
  }
}

/// x: (N, C, H, W) → (N, C, H + top + bottom, W + left + right).
public func pad2d(_ x: Tensor, _ p: EdgePadding, mode: PaddingMode) -> Tensor {
  precondition(x.rank == 4, "pad2d: expects (N, C, H, W), got \(x.shape)")
  let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
  let rowsFrom = paddingSourceIndices(n: h, before: p.top, after: p.bottom, mode: mode)
  let colsFrom = paddingSourceIndices(n: w, before: p.left, after: p.right, mode: mode)
  let (oh, ow) = (rowsFrom.count, colsFrom.count)
  return Tensor(shape: [x.shape[0], x.shape[1], oh, ow]) { y in
    let src = SendablePointer(x.pointer)
    let dst = SendablePointer(y.baseAddress!)
    parallelFor(planes, grain: max(1, 8192 / max(oh * ow, 1))) { range in
      for plane in range {
        let input = src.base + plane * h * w
        let out = dst.base + plane * oh * ow
        for r in 0..<oh {
          let row = out + r * ow
          guard rowsFrom[r] >= 0 else {
            row.update(repeating: 0, count: ow)
            continue
          }
          let source = input + rowsFrom[r] * w
          (row + p.left).update(from: source, count: w)  // the interior is a copy
          for c in 0..<p.left { row[c] = colsFrom[c] >= 0 ? source[colsFrom[c]] : 0 }
          for c in (p.left + w)..<ow { row[c] = colsFrom[c] >= 0 ? source[colsFrom[c]] : 0 }
        }
      }
    }
  }
}

/// dy: (N, C, H', W') → dx: (N, C, H, W) with (H, W) from `inputShape`: every padded position's gradient is
/// added to the position it was copied from.
public func pad2dBackward(_ dy: Tensor, inputShape: [Int], _ p: EdgePadding, mode: PaddingMode) -> Tensor {
  let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
  let rowsFrom = paddingSourceIndices(n: h, before: p.top, after: p.bottom, mode: mode)
  let colsFrom = paddingSourceIndices(n: w, before: p.left, after: p.right, mode: mode)
  let (oh, ow) = (rowsFrom.count, colsFrom.count)
  precondition(
    dy.shape == [inputShape[0], inputShape[1], oh, ow], "pad2dBackward: \(dy.shape) for input \(inputShape)")
  var dx = Tensor(zeros: inputShape)
  dx.withUnsafeMutableBufferPointer { dxb in
    let src = SendablePointer(dy.pointer)
    let dst = SendablePointer(dxb.baseAddress!)
    parallelFor(planes, grain: max(1, 8192 / max(oh * ow, 1))) { range in
      for plane in range {
        let grad = src.base + plane * oh * ow
        let out = dst.base + plane * h * w
        for r in 0..<oh where rowsFrom[r] >= 0 {
          let row = out + rowsFrom[r] * w
          let g = grad + r * ow
          for c in 0..<ow where colsFrom[c] >= 0 { row[colsFrom[c]] += g[c] }
        }
      }
    }
  }
  return dx
}

/// Naive twin of `pad2d`: computes each source coordinate with the textbook formula.
public func pad2dNaive(_ x: Tensor, _ p: EdgePadding, mode: PaddingMode) -> Tensor {
  let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  let (oh, ow) = (h + p.top + p.bottom, w + p.left + p.right)
  func source(_ i: Int, _ size: Int) -> Int? {
    switch mode {
    case .zero: return (0..<size).contains(i) ? i : nil
    case .replicate: return Swift.max(0, Swift.min(size - 1, i))
    case .reflect:
      var j = i
      while j < 0 || j >= size { j = j < 0 ? -j : 2 * (size - 1) - j }
      return j
    }
  }
  var y = Tensor(zeros: [n, c, oh, ow])
  for b in 0..<n {
    for ch in 0..<c {
      for r in 0..<oh {
        for col in 0..<ow {
          if let sr = source(r - p.top, h), let sc = source(col - p.left, w) { y[b, ch, r, col] = x[b, ch, sr, sc] }
        }
      }
    }
  }
  return y
}
