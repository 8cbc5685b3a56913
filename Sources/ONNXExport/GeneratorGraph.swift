// Our generators as ONNX operators, walking the layer tree by type (no reflection): junyanz's ResNet (with
// transposed or resize-convolution upsampling, or our colour-transform head) and U-Net in inference form — Dropout removed, BatchNorm with
// its running statistics, InstanceNorm with unit scale and zero shift when it has no affine parameters.

import ONNXProto
import Translation

/// Why a network cannot be exported.
public enum ONNXExportError: Error, CustomStringConvertible, Equatable {
  /// A layer type the exporter has no ONNX form for (style networks, discriminators).
  case unsupportedLayer(String)
  /// Writing the file failed.
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .unsupportedLayer(let name): "cannot export a network with a \(name) layer (ResNet and U-Net generators only)"
    case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
    }
  }
}

extension ONNXGraph {
  /// Appends `layer` applied to the value `x` (with `channels` channels); returns the output and its channels.
  /// `name` is the layer's state_dict prefix, so initializers keep junyanz's names.
  mutating func emit(_ layer: any Layer, _ x: String, channels: Int, name: String) throws(ONNXExportError)
    -> (value: String, channels: Int)
  {
    let scope = { (child: String) in name.isEmpty ? child : "\(name).\(child)" }
    switch layer {
    case let g as ResnetGenerator where g.upsampling == .colourTransform:
      let coefficients = try emit(g.model, x, channels: channels, name: scope("model"))
      return (colourTransform(coefficients.value, image: x), 3)
    case let g as ResnetGenerator: return try emit(g.model, x, channels: channels, name: scope("model"))
    case let g as UnetGenerator: return try emit(g.model, x, channels: channels, name: scope("model"))
    case let s as Sequential:
      var current = (value: x, channels: channels)
      for (i, child) in s.layers.enumerated() {
        current = try emit(child, current.value, channels: current.channels, name: scope("\(i)"))
      }
      return current
    case let block as ResnetBlock:
      let residual = try emit(block.convBlock, x, channels: channels, name: scope("conv_block"))
      return (add("Add", [x, residual.value]), channels)
    case let block as UnetSkipBlock: return try emit(block, x, channels: channels, name: name)
    case let conv as Conv2d: return (convolution(conv, x, name: name), conv.weight.shape[0])
    case let conv as ConvTranspose2d: return (transposed(conv, x, name: name), conv.weight.shape[1])
    case let pad as Pad2d: return (padding(pad, x), channels)
    case let norm as InstanceNorm2d: return (instanceNorm(norm, x, channels: channels, name: name), channels)
    case let norm as BatchNorm2d:
      let inputs = [
        x, constant(scope("weight"), norm.weight.value), constant(scope("bias"), norm.bias.value),
        constant(scope("running_mean"), norm.runningMean.value), constant(scope("running_var"), norm.runningVar.value),
      ]
      return (add("BatchNormalization", inputs, [Attribute.float("epsilon", norm.eps)]), channels)
    case is ReLU: return (add("Relu", [x]), channels)
    case let leaky as LeakyReLU: return (add("LeakyRelu", [x], [Attribute.float("alpha", leaky.slope)]), channels)
    case is Tanh: return (add("Tanh", [x]), channels)
    case is Sigmoid: return (add("Sigmoid", [x]), channels)
    case is Identity, is Dropout: return (x, channels)  // inference: dropout is the identity
    case let up as Upsample: return (upsample(up, x), channels)
    default: throw .unsupportedLayer(String(describing: type(of: layer)))
    }
  }

  /// A U-Net level: cat(LeakyReLU(x), rest(LeakyReLU(x))) — the skip carries the activated input, as junyanz's
  /// in-place LeakyReLU does (UnetGenerator.swift); the outermost level is a plain sequence.
  private mutating func emit(_ block: UnetSkipBlock, _ x: String, channels: Int, name: String)
    throws(ONNXExportError) -> (value: String, channels: Int)
  {
    let scope = "\(name).model"
    guard block.position != .outermost else { return try emit(block.model, x, channels: channels, name: scope) }
    let layers = block.model.layers
    guard let first = layers.first else { return (x, channels) }
    let activated = try emit(first, x, channels: channels, name: "\(scope).0")
    var current = activated
    for (i, child) in layers.enumerated().dropFirst() {
      current = try emit(child, current.value, channels: current.channels, name: "\(scope).\(i)")
    }
    let joined = add("Concat", [activated.value, current.value], [Attribute.int("axis", 1)])
    return (joined, activated.channels + current.channels)
  }

  private mutating func convolution(_ conv: Conv2d, _ x: String, name: String) -> String {
    convolution("Conv", x, weight: conv.weight, bias: conv.bias, conv.options, outputPadding: nil, name: name)
  }

  private mutating func transposed(_ conv: ConvTranspose2d, _ x: String, name: String) -> String {
    convolution(
      "ConvTranspose", x, weight: conv.weight, bias: conv.bias, conv.options, outputPadding: conv.options.outputPadding,
      name: name)
  }

  /// Conv or ConvTranspose (the one with an output padding) with junyanz-named weight and optional bias.
  private mutating func convolution(
    _ op: String, _ x: String, weight: Variable, bias: Variable?, _ o: ConvOptions, outputPadding: Int?, name: String
  ) -> String {
    var inputs = [x, constant("\(name).weight", weight.value)]
    if let bias { inputs.append(constant("\(name).bias", bias.value)) }
    var attributes = [
      Attribute.ints("kernel_shape", Array(weight.shape[2...])),
      Attribute.ints("strides", [o.stride, o.stride]),
      Attribute.ints("pads", [o.padding, o.padding, o.padding, o.padding]),
    ]
    if let outputPadding { attributes.append(Attribute.ints("output_padding", [outputPadding, outputPadding])) }
    attributes.append(Attribute.ints("dilations", [o.dilation, o.dilation]))
    return add(op, inputs, attributes)
  }

  /// Pad (opset ≥ 11: pads as an input): [x1_begin, x2_begin, …, x1_end, …] over (N, C, H, W).
  private mutating func padding(_ pad: Pad2d, _ x: String) -> String {
    let p = pad.padding
    let pads = constant(freshName("pads"), int64s: [0, 0, p.top, p.left, 0, 0, p.bottom, p.right].map(Int64.init))
    let mode: String =
      switch pad.mode {
      case .reflect: "reflect"
      case .replicate: "edge"
      case .zero: "constant"
      }
    return add("Pad", [x, pads], [Attribute.string("mode", mode)])
  }

  /// InstanceNormalization needs scale and shift inputs: the layer's own, or ones and zeros (affine false).
  private mutating func instanceNorm(_ norm: InstanceNorm2d, _ x: String, channels: Int, name: String) -> String {
    let scale =
      norm.weight.map { constant("\(name).weight", $0.value) }
      ?? constant(freshName("instance_norm_scale"), Tensor(repeating: 1, shape: [channels]))
    let shift =
      norm.bias.map { constant("\(name).bias", $0.value) }
      ?? constant(freshName("instance_norm_shift"), Tensor(zeros: [channels]))
    return add("InstanceNormalization", [x, scale, shift], [Attribute.float("epsilon", norm.eps)])
  }

  /// Nearest-neighbour ×f: Resize with scales (1, 1, f, f); "asymmetric" + "floor" is PyTorch's nearest.
  private mutating func upsample(_ up: Upsample, _ x: String) -> String {
    let f = Float(up.factor)
    let scales = constant(freshName("scales"), Tensor(shape: [4], values: [1, 1, f, f]))
    let mode = up.mode == .nearest ? "nearest" : "linear"
    return add(
      "Resize", [x, "", scales],
      [
        Attribute.string("mode", mode),
        Attribute.string("coordinate_transformation_mode", up.mode == .nearest ? "asymmetric" : "half_pixel"),
        Attribute.string("nearest_mode", "floor"),
      ])
  }

  /// ResnetGenerator's colour-transform head: coefficients (N, 12, H/4, W/4) bilinearly ×4 (half-pixel, as
  /// `upsample`), then tanh(x + A·x + b) with A the first 9 planes as a row-major 3×3 matrix per pixel and b the
  /// last 3: A·x as Mul of (N, 3, 3, H·W) by x as (N, 1, 3, H·W), summed over the last matrix axis.
  private mutating func colourTransform(_ coefficients: String, image x: String) -> String {
    let scales = constant(freshName("scales"), Tensor(shape: [4], values: [1, 1, 4, 4]))
    let up = add(
      "Resize", [coefficients, "", scales],
      [Attribute.string("mode", "linear"), Attribute.string("coordinate_transformation_mode", "half_pixel")])
    let channelAxis = constant(freshName("axes"), int64s: [1])
    let slice = { (graph: inout ONNXGraph, from: Int64, to: Int64) -> String in
      let starts = graph.constant(graph.freshName("starts"), int64s: [from])
      let ends = graph.constant(graph.freshName("ends"), int64s: [to])
      return graph.add("Slice", [up, starts, ends, channelAxis])
    }
    let matrix = add("Reshape", [slice(&self, 0, 9), constant(freshName("shape"), int64s: [0, 3, 3, -1])])
    let column = add("Reshape", [x, constant(freshName("shape"), int64s: [0, 1, 3, -1])])
    let product = add(
      "ReduceSum", [add("Mul", [matrix, column]), constant(freshName("axes"), int64s: [2])],
      [Attribute.int("keepdims", 0)])
    let transformed = add("Reshape", [product, add("Shape", [x])])
    return add("Tanh", [add("Add", [add("Add", [x, transformed]), slice(&self, 9, 12)])])
  }
}
