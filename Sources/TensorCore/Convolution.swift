// Tensor-level convolution and transposed convolution: shape checks and geometry, then the pointer kernels
// of Conv2d.swift / ConvTranspose2d.swift. Gradients are returned fresh (zero + the kernels' accumulation).

/// Stride, padding, dilation (and output_padding for transposed convolutions), equal in both dimensions.
public struct ConvOptions: Equatable, Sendable {
  public var stride: Int, padding: Int, dilation: Int, outputPadding: Int
  public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, outputPadding: Int = 0) {
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.outputPadding = outputPadding
  }
}

/// Which gradients a backward pass should compute.
public struct GradientRequest: Sendable {
  public var input: Bool, weight: Bool, bias: Bool
  public init(input: Bool = true, weight: Bool = true, bias: Bool = true) {
    self.input = input
    self.weight = weight
    self.bias = bias
  }
}

/// A zero tensor of `shape` that `kernel` accumulates into, or nil when the gradient is not wanted.
func accumulated(_ shape: [Int], if wanted: Bool, _ kernel: (UnsafeMutablePointer<Float>) -> Void) -> Tensor? {
  guard wanted else { return nil }
  var t = Tensor(zeros: shape)
  t.withUnsafeMutableBufferPointer { kernel($0.baseAddress!) }
  return t
}

func convGeometry(_ x: Tensor, _ weight: Tensor, _ o: ConvOptions) -> ConvGeometry {
  precondition(x.rank == 4 && weight.rank == 4, "conv2d: x \(x.shape), weight \(weight.shape)")
  precondition(
    weight.shape[1] == x.shape[1] && weight.shape[2] == weight.shape[3],
    "conv2d: weight \(weight.shape) (OIHW, square) for input \(x.shape)")
  return ConvGeometry(
    channels: x.shape[1], height: x.shape[2], width: x.shape[3], kernel: weight.shape[2],
    stride: o.stride, padding: o.padding, dilation: o.dilation)
}

func transposedGeometry(_ x: Tensor, _ weight: Tensor, _ o: ConvOptions) -> ConvGeometry {
  precondition(x.rank == 4 && weight.rank == 4, "convTranspose2d: x \(x.shape), weight \(weight.shape)")
  precondition(
    weight.shape[0] == x.shape[1] && weight.shape[2] == weight.shape[3],
    "convTranspose2d: weight \(weight.shape) (IOHW, square) for input \(x.shape)")
  return .transposed(
    outChannels: weight.shape[1], inputHeight: x.shape[2], inputWidth: x.shape[3],
    kernel: weight.shape[2], stride: o.stride, padding: o.padding, outputPadding: o.outputPadding,
    dilation: o.dilation)
}

/// x: (N, C, H, W), weight: (K, C, k, k), bias: (K)? → (N, K, OH, OW)
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ o: ConvOptions = ConvOptions()) -> Tensor {
  let g = convGeometry(x, weight, o)
  let k = weight.shape[0]
  precondition(bias.map { $0.shape == [k] } ?? true, "conv2d: bias \(bias!.shape) for \(k) output channels")
  return Tensor(shape: [x.shape[0], k, g.outHeight, g.outWidth]) { y in
    conv2dForward(
      x.pointer, batch: x.shape[0], g, weight: weight.pointer, outChannels: k, bias: bias?.pointer, y.baseAddress!)
  }
}

/// Gradients of `conv2d` for upstream dy: (N, K, OH, OW).
public func conv2dGradients(
  _ dy: Tensor, x: Tensor, weight: Tensor, _ o: ConvOptions, _ want: GradientRequest = GradientRequest()
) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
  let g = convGeometry(x, weight, o)
  let k = weight.shape[0]
  let n = x.shape[0]
  precondition(dy.shape == [n, k, g.outHeight, g.outWidth], "conv2d backward: dy \(dy.shape)")
  return (
    accumulated(x.shape, if: want.input) {
      conv2dBackwardData(dy.pointer, batch: n, g, weight: weight.pointer, outChannels: k, $0)
    },
    accumulated(weight.shape, if: want.weight) {
      conv2dBackwardWeight(dy.pointer, x.pointer, batch: n, g, outChannels: k, $0)
    },
    accumulated([k], if: want.bias) {
      conv2dBackwardBias(dy.pointer, batch: n, channels: k, plane: g.outputPlane, $0)
    }
  )
}

/// x: (N, Cin, H, W), weight: (Cin, Cout, k, k), bias: (Cout)? → (N, Cout, OH, OW),
/// OH = (H − 1)·s − 2p + d(k − 1) + output_padding + 1
public func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ o: ConvOptions = ConvOptions()) -> Tensor {
  let g = transposedGeometry(x, weight, o)
  precondition(
    bias.map { $0.shape == [g.channels] } ?? true, "convTranspose2d: bias \(bias!.shape) for \(g.channels) channels")
  return Tensor(shape: [x.shape[0], g.channels, g.height, g.width]) { y in
    convTranspose2dForward(
      x.pointer, batch: x.shape[0], g, weight: weight.pointer, inChannels: x.shape[1],
      bias: bias?.pointer, y.baseAddress!)
  }
}

/// Gradients of `convTranspose2d` for upstream dy: (N, Cout, OH, OW).
public func convTranspose2dGradients(
  _ dy: Tensor, x: Tensor, weight: Tensor, _ o: ConvOptions, _ want: GradientRequest = GradientRequest()
) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
  let g = transposedGeometry(x, weight, o)
  let n = x.shape[0]
  let cin = x.shape[1]
  precondition(dy.shape == [n, g.channels, g.height, g.width], "convTranspose2d backward: dy \(dy.shape)")
  return (
    accumulated(x.shape, if: want.input) {
      convTranspose2dBackwardData(dy.pointer, batch: n, g, weight: weight.pointer, inChannels: cin, $0)
    },
    accumulated(weight.shape, if: want.weight) {
      convTranspose2dBackwardWeight(dy.pointer, x.pointer, batch: n, g, inChannels: cin, $0)
    },
    accumulated([g.channels], if: want.bias) {
      conv2dBackwardBias(dy.pointer, batch: n, channels: g.channels, plane: g.height * g.width, $0)
    }
  )
}
