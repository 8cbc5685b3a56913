// The geometry shared by convolution, its gradients and the transposed convolution: an image (C, H, W) and
// its column matrix (C·k·k, OH·OW), as in Caffe's im2col. Square kernel, stride, padding and dilation.

/// Image side (C, H, W) ↔ column side (C·k·k, OH·OW) of a convolution.
public struct ConvGeometry: Equatable, Sendable {
  public let channels: Int, height: Int, width: Int
  public let kernel: Int, stride: Int, padding: Int, dilation: Int
  /// Column side: (H + 2p − d(k − 1) − 1)/s + 1 for a convolution; the input size for a transposed one.
  public let outHeight: Int, outWidth: Int

  public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1)
  {
    let span = dilation * (kernel - 1) + 1
    self.init(
      channels: channels, height: height, width: width, kernel: kernel, stride: stride, padding: padding,
      dilation: dilation, outHeight: (height + 2 * padding - span) / stride + 1,
      outWidth: (width + 2 * padding - span) / stride + 1)
  }

  init(
    channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int, dilation: Int,
    outHeight: Int, outWidth: Int
  ) {
    precondition(channels > 0 && height > 0 && width > 0, "ConvGeometry: empty image \(channels)×\(height)×\(width)")
    precondition(
      kernel > 0 && stride > 0 && padding >= 0 && dilation > 0,
      "ConvGeometry: kernel \(kernel) stride \(stride) padding \(padding) dilation \(dilation)")
    precondition(
      height + 2 * padding >= dilation * (kernel - 1) + 1 && width + 2 * padding >= dilation * (kernel - 1) + 1,
      "ConvGeometry: kernel \(kernel) (dilation \(dilation)) larger than padded image \(height)×\(width) + 2·\(padding)"
    )
    self.channels = channels
    self.height = height
    self.width = width
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.outHeight = outHeight
    self.outWidth = outWidth
  }

  /// Extent of the dilated kernel.
  public var span: Int { dilation * (kernel - 1) + 1 }
  /// Rows of the column matrix: C·k·k.
  public var columnRows: Int { channels * kernel * kernel }
  public var imageSize: Int { channels * height * width }
  public var outputPlane: Int { outHeight * outWidth }

  /// True when the column matrix is the image itself (1×1 kernel, stride 1, no padding).
  var isIdentityColumns: Bool { kernel == 1 && stride == 1 && padding == 0 && outHeight == height && outWidth == width }

  /// Output rows per tile so that one column tile holds at most `maxBytes` (at least one row).
  func rowsPerTile(maxBytes: Int) -> Int {
    let bytesPerRow = columnRows * outWidth * MemoryLayout<Float>.size
    return max(1, min(outHeight, maxBytes / max(bytesPerRow, 1)))
  }

  /// For kernel column offset `kj`: the output columns whose input column lies inside the image, and the
  /// input column of output column 0 (iw = ow·stride + offset).
  @inlinable func validColumns(kj: Int) -> (range: Range<Int>, offset: Int) {
    let offset = kj * dilation - padding
    let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let hi = width - offset <= 0 ? 0 : min(outWidth, (width - offset + stride - 1) / stride)
    return (min(lo, hi)..<hi, offset)
  }
}

/// Bound on the column buffer: the image is processed in tiles of output rows so that an im2col tile never
/// exceeds this (untiled, the 7×7 conv of a 256² generator needs 822 MB, and 13 GB at 1024²). 8 MB rather than
/// the 64 MB first tried: measured with `translate bench`, the GEMM then reads its columns largely from cache
/// (mean ratio to sgemm 0.81 vs 0.78 at 256², 0.72 vs 0.71 at 512²). At least one output row per tile.
public enum ColumnTiling {
  public static let maxBytes = 8 << 20
}
