// Spatial resampling as PyTorch: nearest and bilinear (align_corners = False) upsampling by an integer factor,
// and average pooling (count_include_pad = True). Each with its backward (the adjoint scatter).

/// For bilinear upsampling by `factor` along one axis of length n: source index pairs and weights.
/// PyTorch: src = (dst + 0.5)/factor − 0.5, clamped below at 0.
func bilinearTaps(n: Int, factor: Int) -> [(i0: Int, i1: Int, w0: Float, w1: Float)] {
  (0..<(n * factor)).map { d in
    let src = max(Float(0), (Float(d) + 0.5) / Float(factor) - 0.5)
    let i0 = Int(src)
    let i1 = i0 < n - 1 ? i0 + 1 : i0
    let w1 = src - Float(i0)
    return (i0, i1, 1 - w1, w1)
  }
}

public enum UpsampleMode: String, Sendable, CaseIterable { case nearest, bilinear }

/// x: (N, C, H, W) → (N, C, H·f, W·f)
public func upsample(_ x: Tensor, factor f: Int, mode: UpsampleMode) -> Tensor {
  precondition(x.rank == 4 && f >= 1, "upsample: \(x.shape) by \(f)")
  let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
  let rows = bilinearTaps(n: h, factor: f)
  let cols = bilinearTaps(n: w, factor: f)
  return Tensor(shape: [x.shape[0], x.shape[1], h * f, w * f]) { y in
    for p in 0..<planes {
      let src = x.pointer + p * h * w
      let dst = y.baseAddress! + p * h * w * f * f
      for r in 0..<(h * f) {
        for c in 0..<(w * f) {
          switch mode {
          case .nearest: dst[r * w * f + c] = src[(r / f) * w + c / f]
          case .bilinear:
            let (a, b) = (rows[r], cols[c])
            dst[r * w * f + c] =
              a.w0 * (b.w0 * src[a.i0 * w + b.i0] + b.w1 * src[a.i0 * w + b.i1])
              + a.w1 * (b.w0 * src[a.i1 * w + b.i0] + b.w1 * src[a.i1 * w + b.i1])
          }
        }
      }
    }
  }
}

/// dy: (N, C, H·f, W·f) → dx: (N, C, H, W)
public func upsampleBackward(_ dy: Tensor, factor f: Int, mode: UpsampleMode) -> Tensor {
  let (n, c, h, w) = (dy.shape[0], dy.shape[1], dy.shape[2] / f, dy.shape[3] / f)
  let rows = bilinearTaps(n: h, factor: f)
  let cols = bilinearTaps(n: w, factor: f)
  var dx = Tensor(zeros: [n, c, h, w])
  dx.withUnsafeMutableBufferPointer { out in
    for p in 0..<(n * c) {
      let g = dy.pointer + p * h * w * f * f
      let d = out.baseAddress! + p * h * w
      for r in 0..<(h * f) {
        for col in 0..<(w * f) {
          let v = g[r * w * f + col]
          switch mode {
          case .nearest: d[(r / f) * w + col / f] += v
          case .bilinear:
            let (a, b) = (rows[r], cols[col])
            d[a.i0 * w + b.i0] += a.w0 * b.w0 * v
            d[a.i0 * w + b.i1] += a.w0 * b.w1 * v
            d[a.i1 * w + b.i0] += a.w1 * b.w0 * v
            d[a.i1 * w + b.i1] += a.w1 * b.w1 * v
          }
        }
      }
    }
  }
  return dx
}

/// Average pooling, zero padding counted in the divisor (PyTorch's default count_include_pad = True).
/// x: (N, C, H, W) → (N, C, OH, OW) with OH = (H + 2p − k)/s + 1.
public func avgPool2d(_ x: Tensor, kernel k: Int, stride s: Int, padding p: Int = 0) -> Tensor {
  let g = ConvGeometry(
    channels: x.shape[0] * x.shape[1], height: x.shape[2], width: x.shape[3],
    kernel: k, stride: s, padding: p)
  let scale = 1 / Float(k * k)
  return Tensor(shape: [x.shape[0], x.shape[1], g.outHeight, g.outWidth]) { y in
    for plane in 0..<g.channels {
      let src = x.pointer + plane * g.height * g.width
      let dst = y.baseAddress! + plane * g.outputPlane
      for oh in 0..<g.outHeight {
        for ow in 0..<g.outWidth {
          var s: Float = 0
          for ki in 0..<k {
            let ih = oh * g.stride - p + ki
            guard ih >= 0 && ih < g.height else { continue }
            for kj in 0..<k {
              let iw = ow * g.stride - p + kj
              if iw >= 0 && iw < g.width { s += src[ih * g.width + iw] }
            }
          }
          dst[oh * g.outWidth + ow] = s * scale
        }
      }
    }
  }
}

/// dy: (N, C, OH, OW) → dx: (N, C, H, W) for `avgPool2d` on an input of `inputShape`.
public func avgPool2dBackward(_ dy: Tensor, inputShape: [Int], kernel k: Int, stride s: Int, padding p: Int = 0)
  -> Tensor
{
  let g = ConvGeometry(
    channels: inputShape[0] * inputShape[1], height: inputShape[2], width: inputShape[3],
    kernel: k, stride: s, padding: p)
  precondition(dy.shape == [inputShape[0], inputShape[1], g.outHeight, g.outWidth], "avgPool2dBackward: \(dy.shape)")
  let scale = 1 / Float(k * k)
  var dx = Tensor(zeros: inputShape)
  dx.withUnsafeMutableBufferPointer { out in
    for plane in 0..<g.channels {
      let grad = dy.pointer + plane * g.outputPlane
      let d = out.baseAddress! + plane * g.height * g.width
      for oh in 0..<g.outHeight {
        for ow in 0..<g.outWidth {
          let v = grad[oh * g.outWidth + ow] * scale
          for ki in 0..<k {
            let ih = oh * g.stride - p + ki
            guard ih >= 0 && ih < g.height else { continue }
            for kj in 0..<k {
              let iw = ow * g.stride - p + kj
              if iw >= 0 && iw < g.width { d[ih * g.width + iw] += v }
            }
          }
        }
      }
    }
  }
  return dx
}
