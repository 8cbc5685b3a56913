// im2col / col2im (Caffe): unfold image patches into a column matrix and fold them back (adjoint pair).
// Both work on a tile of output rows [rows.lowerBound, rows.upperBound) so the column buffer stays bounded.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// image: (C, H, W) → columns: (C·k·k, rows.count·OW). Overwrites `columns`.
public func im2col(
  _ image: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, _ columns: UnsafeMutablePointer<Float>
) {
  let tileN = rows.count * g.outWidth
  let kk = g.kernel * g.kernel
  let src = SendablePointer(image), dst = SendablePointer(columns)
  parallelFor(g.columnRows, grain: max(1, 16_384 / max(tileN, 1))) { range in
    for r in range {
      let c = r / kk, ki = (r / g.kernel) % g.kernel, kj = r % g.kernel
      let plane = src.base + c * g.height * g.width
      let out = dst.base + r * tileN
      let (valid, offset) = g.validColumns(kj: kj)
      for oh in rows {
        let row = out + (oh - rows.lowerBound) * g.outWidth
        let ih = oh * g.stride - g.padding + ki * g.dilation
        guard ih >= 0 && ih < g.height else {
          row.update(repeating: 0, count: g.outWidth)
          continue
        }
        let input = plane + ih * g.width + offset
        row.update(repeating: 0, count: valid.lowerBound)
        if g.stride == 1 {
          (row + valid.lowerBound).update(from: input + valid.lowerBound, count: valid.count)
        } else {
          for ow in valid { row[ow] = input[ow * g.stride] }
        }
        (row + valid.upperBound).update(repeating: 0, count: g.outWidth - valid.upperBound)
      }
    }
  }
}

/// columns: (C·k·k, rows.count·OW) → image: (C, H, W), **accumulated** (`+=`). The adjoint of `im2col`.
public func col2im(
  _ columns: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, _ image: UnsafeMutablePointer<Float>
) {
  let tileN = rows.count * g.outWidth
  let src = SendablePointer(columns), dst = SendablePointer(image)
  // Split over channels: every (ki, kj) row of one channel writes the same image plane.
  parallelFor(g.channels, grain: max(1, 16_384 / max(tileN * g.kernel * g.kernel, 1))) { range in
    for c in range {
      let plane = dst.base + c * g.height * g.width
      for ki in 0..<g.kernel {
        for kj in 0..<g.kernel {
          let input = src.base + ((c * g.kernel + ki) * g.kernel + kj) * tileN
          let (valid, offset) = g.validColumns(kj: kj)
          for oh in rows {
            let ih = oh * g.stride - g.padding + ki * g.dilation
            guard ih >= 0 && ih < g.height else { continue }
            let row = input + (oh - rows.lowerBound) * g.outWidth
            let out = plane + ih * g.width + offset
            if g.stride == 1 {
              for ow in valid { out[ow] += row[ow] }
            } else {
              for ow in valid { out[ow * g.stride] += row[ow] }
            }
          }
        }
      }
    }
  }
}

/// Naive twin of `im2col` over all output rows: one bounds test per element.
public func im2colNaive(_ image: UnsafePointer<Float>, _ g: ConvGeometry, _ columns: UnsafeMutablePointer<Float>) {
  let n = g.outputPlane
  for c in 0..<g.channels {
    for ki in 0..<g.kernel {
      for kj in 0..<g.kernel {
        let r = (c * g.kernel + ki) * g.kernel + kj
        for oh in 0..<g.outHeight {
          for ow in 0..<g.outWidth {
            let ih = oh * g.stride - g.padding + ki * g.dilation
            let iw = ow * g.stride - g.padding + kj * g.dilation
            let inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width
            columns[r * n + oh * g.outWidth + ow] = inside ? image[(c * g.height + ih) * g.width + iw] : 0
          }
        }
      }
    }
  }
}

/// Naive twin of `col2im` over all output rows (accumulates).
public func col2imNaive(_ columns: UnsafePointer<Float>, _ g: ConvGeometry, _ image: UnsafeMutablePointer<Float>) {
  let n = g.outputPlane
  for c in 0..<g.channels {
    for ki in 0..<g.kernel {
      for kj in 0..<g.kernel {
        let r = (c * g.kernel + ki) * g.kernel + kj
        for oh in 0..<g.outHeight {
          for ow in 0..<g.outWidth {
            let ih = oh * g.stride - g.padding + ki * g.dilation
            let iw = ow * g.stride - g.padding + kj * g.dilation
            if ih >= 0 && ih < g.height && iw >= 0 && iw < g.width {
              image[(c * g.height + ih) * g.width + iw] += columns[r * n + oh * g.outWidth + ow]
            }
          }
        }
      }
    }
  }
}
