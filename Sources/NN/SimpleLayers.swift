// Parameter-free layers: padding, activations, dropout, upsampling and identity (PyTorch semantics).

/// ReflectionPad2d / ReplicationPad2d / ZeroPad2d. x: (N, C, H, W) → (N, C, H + 2p, W + 2p).
public struct Pad2d: Layer {
  public let mode: PaddingMode
  public let padding: EdgePadding
  public init(_ mode: PaddingMode, _ padding: Int) {
    self.mode = mode
    self.padding = EdgePadding(padding)
  }
  public func callAsFunction(_ x: Variable) -> Variable { pad2d(x, padding, mode: mode) }
}

public struct ReLU: Layer {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { relu(x) }
}

public struct LeakyReLU: Layer {
  public let slope: Float
  public init(slope: Float = 0.01) { self.slope = slope }
  public func callAsFunction(_ x: Variable) -> Variable { leakyRelu(x, slope: slope) }
}

public struct Tanh: Layer {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { tanh(x) }
}

public struct Sigmoid: Layer {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { sigmoid(x) }
}

/// nn.Identity: stands where junyanz's `norm='none'` puts a norm layer, keeping Sequential indices aligned.
public struct Identity: Layer {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { x }
}

/// Nearest-neighbour upsampling by an integer factor. x: (N, C, H, W) → (N, C, H·f, W·f).
public struct Upsample: Layer {
  public let factor: Int, mode: UpsampleMode
  public init(factor: Int, mode: UpsampleMode = .nearest) {
    self.factor = factor
    self.mode = mode
  }
  public func callAsFunction(_ x: Variable) -> Variable { upsample(x, factor: factor, mode: mode) }
}

/// Inverted dropout in training mode, identity in inference mode. Its generator is a reference shared by the
/// copies of the layer, so its state can be checkpointed and `--seed` runs repeat exactly.
public struct Dropout: Layer {
  public final class Generator {
    public var rng: SeededGenerator
    init(_ rng: SeededGenerator) { self.rng = rng }
  }
  public let probability: Float
  public let generator: Generator

  public init(probability: Float = 0.5, seed: UInt64 = 0) {
    self.probability = probability
    generator = Generator(SeededGenerator(seed: seed))
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    guard LayerMode.isTraining, probability > 0 else { return x }
    return dropout(x, probability: probability, using: &generator.rng)
  }
}
