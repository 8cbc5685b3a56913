// A per-pixel affine colour transform, y(p) = (I + A(p))·x(p) + b(p): the output head of our structure-keeping
// generator (Gharbi et al. 2017's "local affine colour transforms", with coefficients bilinearly upsampled
// rather than sliced from a bilateral grid). Edges of y are edges of x; only colours move.

import CKernels

/// Coefficient channels per pixel: the 3×3 matrix A row-major (A[c][k] at channel 3c + k), then the offset b.
public let localColourTransformCoefficients = 12

/// coefficients: (N, 12, H, W), image: (N, 3, H, W) → (N, 3, H, W) with y_c = x_c + Σ_k A[c][k]·x_k + b_c.
public func localColourTransform(_ coefficients: Tensor, _ image: Tensor) -> Tensor {
  let (n, plane) = localColourTransformShape(coefficients, image)
  return Tensor(shape: image.shape) { y in
    for b in 0..<n {
      let a = coefficients.pointer + b * localColourTransformCoefficients * plane
      let x = image.pointer + b * 3 * plane
      let out = y.baseAddress! + b * 3 * plane
      for c in 0..<3 {
        let (row, offset, dst) = (a + 3 * c * plane, a + (9 + c) * plane, out + c * plane)
        for p in 0..<plane {
          dst[p] =
            x[c * plane + p] + row[p] * x[p] + row[plane + p] * x[plane + p] + row[2 * plane + p] * x[2 * plane + p]
            + offset[p]
        }
      }
    }
  }
}

/// The backward of `localColourTransform`: dy (N, 3, H, W) → (dCoefficients (N, 12, H, W), dImage (N, 3, H, W)),
/// dA[c][k] = dy_c·x_k, db_c = dy_c, dx_k = dy_k + Σ_c A[c][k]·dy_c.
public func localColourTransformBackward(_ dy: Tensor, coefficients: Tensor, image: Tensor) -> (
  coefficients: Tensor, image: Tensor
) {
  let (n, plane) = localColourTransformShape(coefficients, image)
  let dCoefficients = Tensor(shape: coefficients.shape) { g in
    for b in 0..<n {
      let (x, d) = (image.pointer + b * 3 * plane, dy.pointer + b * 3 * plane)
      let out = g.baseAddress! + b * localColourTransformCoefficients * plane
      for c in 0..<3 {
        for k in 0..<3 {
          let dst = out + (3 * c + k) * plane
          for p in 0..<plane { dst[p] = d[c * plane + p] * x[k * plane + p] }
        }
        (out + (9 + c) * plane).update(from: d + c * plane, count: plane)
      }
    }
  }
  let dImage = Tensor(shape: image.shape) { g in
    for b in 0..<n {
      let (a, d) = (coefficients.pointer + b * localColourTransformCoefficients * plane, dy.pointer + b * 3 * plane)
      let out = g.baseAddress! + b * 3 * plane
      for k in 0..<3 {
        let dst = out + k * plane
        for p in 0..<plane {
          dst[p] =
            d[k * plane + p] + a[k * plane + p] * d[p] + a[(3 + k) * plane + p] * d[plane + p]
            + a[(6 + k) * plane + p] * d[2 * plane + p]
        }
      }
    }
  }
  return (dCoefficients, dImage)
}

/// (batch, pixels per plane) after checking that the shapes belong together.
func localColourTransformShape(_ coefficients: Tensor, _ image: Tensor) -> (Int, Int) {
  precondition(
    image.rank == 4 && image.shape[1] == 3 && coefficients.rank == 4
      && coefficients.shape == [image.shape[0], localColourTransformCoefficients, image.shape[2], image.shape[3]],
    "localColourTransform: coefficients \(coefficients.shape) for an image \(image.shape)")
  return (image.shape[0], image.shape[2] * image.shape[3])
}

/// The colour-transform head's inference in one pass: tanh((I + A)·x + b) with A, b the bilinear upsampling by
/// `factor` of coarse: (N, 12, h, w) → image (N, 3, h·factor, w·factor) → (N, 3, h·factor, w·factor). Equal bit for
/// bit to `tanh(localColourTransform(upsample(coarse, factor, .bilinear), image))` (same expressions, same order),
/// without the full-resolution coefficient tensor (12 floats a pixel: 1.15 GB at 24 MP). Each coarse row is
/// interpolated along x once (H(i) = w0·s[i, j0] + w1·s[i, j1]) and kept while output rows use it; an output row
/// is then w0·H(i0) + w1·H(i1), the same sum `upsample` computes. Rows split over threads.
public func upsampledColourTransform(_ coarse: Tensor, factor f: Int, _ image: Tensor) -> Tensor {
  precondition(
    coarse.rank == 4 && f >= 1 && coarse.shape[1] == localColourTransformCoefficients
      && image.shape == [coarse.shape[0], 3, coarse.shape[2] * f, coarse.shape[3] * f],
    "upsampledColourTransform: coefficients \(coarse.shape) ×\(f) for an image \(image.shape)")
  let (n, h, w) = (coarse.shape[0], coarse.shape[2], coarse.shape[3])
  let (height, width) = (h * f, w * f)
  let plane = height * width
  let k = localColourTransformCoefficients
  let rows = bilinearTaps(n: h, factor: f)
  let columns = bilinearTaps(n: w, factor: f)
  return Tensor(shape: image.shape) { out in
    let (source, pixels, destination) = (
      SendablePointer(coarse.pointer), SendablePointer(image.pointer), SendablePointer(out.baseAddress!)
    )
    parallelFor(n * height, grain: 8) { range in
      // Two coarse rows interpolated along x (12 planes of `width` each, with the (image, row) they hold), and
      // the coefficients of the output row.
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 3 * k * width)
      defer { buffer.deallocate() }
      var held = [(image: -1, row: -1), (image: -1, row: -1)]
      let a = buffer + 2 * k * width
      /// The interpolated coarse row `i` of image `b`, computed into a free slot unless held.
      func interpolated(_ b: Int, _ i: Int, keeping other: Int) -> UnsafeMutablePointer<Float> {
        if let slot = held.firstIndex(where: { $0 == (b, i) }) { return buffer + slot * k * width }
        let slot = held[0] == (b, other) ? 1 : 0
        held[slot] = (b, i)
        let line = buffer + slot * k * width
        for plane in 0..<k {
          let s = source.base + ((b * k + plane) * h + i) * w
          let dst = line + plane * width
          for c in 0..<width {
            let tap = columns[c]
            dst[c] = tap.w0 * s[tap.i0] + tap.w1 * s[tap.i1]
          }
        }
        return line
      }
      for job in range {
        let (b, r) = job.quotientAndRemainder(dividingBy: height)
        let tap = rows[r]
        let upper = interpolated(b, tap.i0, keeping: tap.i1)
        let lower = interpolated(b, tap.i1, keeping: tap.i0)
        for i in 0..<(k * width) { a[i] = tap.w0 * upper[i] + tap.w1 * lower[i] }
        let x = pixels.base + b * 3 * plane + r * width
        let y = destination.base + b * 3 * plane + r * width
        for channel in 0..<3 {
          let (m0, m1, m2) = (a + 3 * channel * width, a + (3 * channel + 1) * width, a + (3 * channel + 2) * width)
          let (offset, dst, own) = (a + (9 + channel) * width, y + channel * plane, x + channel * plane)
          for c in 0..<width {
            dst[c] = own[c] + m0[c] * x[c] + m1[c] * x[plane + c] + m2[c] * x[2 * plane + c] + offset[c]
          }
          ck_tanh(dst, dst, width)
        }
      }
    }
  }
}
