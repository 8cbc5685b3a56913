// im2col / col2im (Caffe): unfold image patches into a column matrix and fold them back (adjoint pair).
// The row loops are C (CKernels/im2col.c); both work on a tile of output rows [rows.lowerBound, rows.upperBound) so the column buffer stays bounded.

import CKernels

/// image: (C, H, W) → columns: (C·k·k, rows.count·OW). Overwrites `columns`.
public func im2col(
  _ image: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, _ columns: UnsafeMutablePointer<Float>
) {
  let cg = g.cGeometry
  let src = SendablePointer(image)
  let dst = SendablePointer(columns)
  let work = rows.count * g.outWidth
  parallelFor(g.columnRows, grain: max(1, 32_768 / max(work, 1))) { range in
    var geometry = cg
    ck_im2col(
      src.base, &geometry, Int32(rows.lowerBound), Int32(rows.upperBound), Int32(range.lowerBound),
      Int32(range.upperBound), dst.base)
  }
}

/// columns: (C·k·k, rows.count·OW) → image: (C, H, W), **accumulated** (`+=`). The adjoint of `im2col`.
public func col2im(
  _ columns: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, _ image: UnsafeMutablePointer<Float>
) {
  let cg = g.cGeometry
  let src = SendablePointer(columns)
  let dst = SendablePointer(image)
  let work = rows.count * g.outWidth * g.kernel * g.kernel
  // Split over channels: every (ki, kj) row of one channel writes the same image plane.
  parallelFor(g.channels, grain: max(1, 32_768 / max(work, 1))) { range in
    var geometry = cg
    ck_col2im(
      src.base, &geometry, Int32(rows.lowerBound), Int32(rows.upperBound), Int32(range.lowerBound),
      Int32(range.upperBound), dst.base)
  }
}

extension ConvGeometry {
  var cGeometry: ck_conv_geometry {
    ck_conv_geometry(
      channels: Int32(channels), height: Int32(height), width: Int32(width), kernel: Int32(kernel),
      stride: Int32(stride), padding: Int32(padding), dilation: Int32(dilation),
      out_height: Int32(outHeight), out_width: Int32(outWidth))
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
