// The Layer protocol (MLXNN / swift-models style: a struct with callAsFunction and explicit parameters),
// PyTorch-style state_dict names, training/inference mode, and `Sequential` composition without generics.

/// A parameter or buffer with its PyTorch state_dict name, e.g. `model.10.conv_block.1.weight`.
public struct NamedVariable {
  public let name: String
  public let variable: Variable
  public init(_ name: String, _ variable: Variable) {
    self.name = name
    self.variable = variable
  }
  /// The same variable under `prefix.name`.
  public func prefixed(_ prefix: String) -> NamedVariable {
    NamedVariable(prefix.isEmpty ? name : "\(prefix).\(name)", variable)
  }
}

/// A differentiable layer. Parameters are reference-typed `Variable`s, so an optimizer updates the layer that
/// holds them in place and layers can be plain structs.
public protocol Layer {
  /// Forward pass. Shapes are documented by each layer.
  func callAsFunction(_ x: Variable) -> Variable
  /// Trainable parameters with their state_dict names, in PyTorch's registration order.
  var parameters: [NamedVariable] { get }
  /// Non-trainable state saved with the model (BatchNorm running statistics), with state_dict names.
  var buffers: [NamedVariable] { get }
  /// Direct children, for walks such as weight initialization (PyTorch's `Module.children()`).
  var sublayers: [any Layer] { get }
}

extension Layer {
  public var parameters: [NamedVariable] { [] }
  public var buffers: [NamedVariable] { [] }
  public var sublayers: [any Layer] { [] }
  /// Parameters and buffers: everything a state_dict holds.
  public var stateVariables: [NamedVariable] { parameters + buffers }
  /// Number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.variable.value.count } }
}

/// Training or inference behaviour of Dropout and BatchNorm, scoped like PyTorch's train()/eval() but
/// task-local, so that concurrent work does not share a global switch.
public enum LayerMode {
  @TaskLocal public static var isTraining = true

  /// Runs `body` in inference mode with gradient recording off.
  public static func inference<R>(_ body: () throws -> R) rethrows -> R {
    try $isTraining.withValue(false) { try GradientMode.withoutGradients(body) }
  }
}

/// Layers applied in order; parameter names are prefixed by the layer's index, as nn.Sequential does
/// (`0.weight`, `1.weight`, …). Layers without parameters still take an index.
public struct Sequential: Layer {
  public var layers: [any Layer]
  public init(_ layers: [any Layer]) { self.layers = layers }

  /// The layers in order; at inference an InstanceNorm2d runs in its input's memory, together with the ReLU that
  /// follows it in one pass; a reflection pad followed by a convolution on the Winograd or small-kernel path runs
  /// as one pass, which also reads an InstanceNorm2d (+ ReLU) before the pad in place, as the small kernels do
  /// before a zero-padded convolution (same values).
  public func callAsFunction(_ x: Variable) -> Variable {
    var (y, i) = (x, 0)
    while i < layers.count {
      if let norm = layers[i] as? InstanceNorm2d {
        let relu = i + 1 < layers.count && layers[i + 1] is ReLU
        let next = i + (relu ? 2 : 1)
        if next + 1 < layers.count, let pad = layers[next] as? Pad2d, let conv = layers[next + 1] as? Conv2d,
          let fused = conv.afterReflectionPadInOnePass(pad, y, normalizedFirstBy: norm, relu: relu)
        {
          (y, i) = (fused, next + 2)
          continue
        }
        if next < layers.count, let conv = layers[next] as? Conv2d,
          let fused = conv.afterNormalizationInOnePass(norm, relu: relu, y)
        {
          (y, i) = (fused, next + 1)
          continue
        }
        if norm.inferenceInPlace(&y, thenReLU: relu) {
          i += relu ? 2 : 1
          continue
        }
      } else if i + 1 < layers.count, let pad = layers[i] as? Pad2d, let conv = layers[i + 1] as? Conv2d,
        let fused = conv.afterReflectionPadInOnePass(pad, y)
      {
        (y, i) = (fused, i + 2)
        continue
      }
      (y, i) = (layers[i](y), i + 1)
    }
    return y
  }

  /// The outputs of the layers at `indices` (non-decreasing, each < layers.count), in that order; the layers
  /// after the last index do not run (taesungp's `forward(x, layers, encode_only=True)`). Same numerics as the call.
  public func outputs(_ x: Variable, at indices: [Int]) -> [Variable] {
    precondition(
      zip(indices, indices.dropFirst()).allSatisfy { $0 <= $1 } && indices.allSatisfy { $0 >= 0 && $0 < layers.count },
      "Sequential.outputs: indices \(indices) for \(layers.count) layers")
    guard let last = indices.last else { return [] }
    var outputs: [Variable] = []
    var y = x
    for i in 0...last {
      y = layers[i](y)
      while outputs.count < indices.count && indices[outputs.count] == i { outputs.append(y) }
    }
    return outputs
  }

  public var parameters: [NamedVariable] {
    layers.enumerated().flatMap { i, l in l.parameters.map { $0.prefixed("\(i)") } }
  }
  public var buffers: [NamedVariable] {
    layers.enumerated().flatMap { i, l in l.buffers.map { $0.prefixed("\(i)") } }
  }
  public var sublayers: [any Layer] { layers }
}

/// A layer whose parameters live under a name (`model.…`, `conv_block.…`), as a PyTorch submodule attribute.
public struct Named: Layer {
  public let name: String
  public var layer: any Layer
  public init(_ name: String, _ layer: any Layer) {
    self.name = name
    self.layer = layer
  }
  public func callAsFunction(_ x: Variable) -> Variable { layer(x) }
  public var parameters: [NamedVariable] { layer.parameters.map { $0.prefixed(name) } }
  public var buffers: [NamedVariable] { layer.buffers.map { $0.prefixed(name) } }
  public var sublayers: [any Layer] { [layer] }
}
