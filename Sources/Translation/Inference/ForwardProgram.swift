// A generator's forward pass as a flat list of steps over a small stack (residual inputs, U-Net skips, the
// colour transform's input), so that a tile can run up to any InstanceNorm, stop, and later resume from the
// stored state: the passes of exact tiled statistics (TiledStatistics.swift). Same layers, same numerics.

import Foundation

/// One step of a flattened forward pass; `y` is the running activation.
enum ForwardStep {
  /// y = layer(y).
  case layer(any Layer)
  /// y = InstanceNorm(y) with whole-image statistics supplied by the caller.
  case norm(InstanceNorm2d)
  /// Pushes y (a residual input, a U-Net skip, the colour transform's image).
  case save
  /// y = pop() + y (ResnetBlock: x + convBlock(x)).
  case addSaved
  /// y = cat(pop(), y) along channels (UnetSkipBlock).
  case concatSaved
  /// y = tanh((I + A)·x + b) with A, b the bilinearly upsampled coefficients y and x = pop() (ResnetGenerator's
  /// colour-transform head).
  case colourTransformSaved
}

/// Where a tile's forward stands: the next step to run, its input and the stack.
struct ForwardState {
  var step: Int
  var y: Tensor
  var saved: [Tensor]
  var bytes: Int { 4 * (y.count + saved.reduce(0) { $0 + $1.count }) }
}

/// A generator flattened into steps. Nil from `init` for a layer it does not know that holds an InstanceNorm.
struct ForwardProgram {
  let steps: [ForwardStep]
  /// Step index of each InstanceNorm, in call order.
  let normSteps: [Int]
  /// How many saved entries, from the bottom of the stack, are the input itself (the colour transform's).
  let inputSaves: Int

  init?(_ generator: any Layer) {
    guard let steps = Self.flatten(generator) else { return nil }
    self.steps = steps
    normSteps = steps.indices.filter { if case .norm = steps[$0] { true } else { false } }
    inputSaves = steps.prefix { if case .save = $0 { true } else { false } }.count
  }

  /// The lowest stack depth while running steps start..<stop from a stack `depth` deep: the entries below it
  /// are the same before and after.
  func lowestDepth(from start: Int, until stop: Int, depth: Int) -> Int {
    var (d, lowest) = (depth, depth)
    for step in steps[start..<stop] {
      switch step {
      case .save: d += 1
      case .addSaved, .concatSaved, .colourTransformSaved: d -= 1
      case .layer, .norm: break
      }
      lowest = min(lowest, d)
    }
    return lowest
  }

  /// How far (in input pixels) steps start..<stop reach around an output pixel when their input has `scale`
  /// input pixels per pixel: the context a strip needs to compute its core exactly. Nil for a layer whose reach
  /// is unknown.
  func reach(from start: Int, until stop: Int, scale: Int) -> Int? {
    var (total, scale) = (0, scale)
    for step in steps[start..<stop] {
      switch step {
      case .layer(let layer):
        guard let r = Self.reach(layer, scale: &scale) else { return nil }
        total += r
      case .colourTransformSaved:
        // Bilinear upsampling reads one coefficient pixel around.
        total += scale
        scale = max(1, scale >> ResnetConstants.samplings)
      case .norm, .save, .addSaved, .concatSaved: break
      }
    }
    return total
  }

  /// A layer's reach in input pixels at `scale` input pixels per pixel; updates `scale` to its output's.
  private static func reach(_ layer: any Layer, scale: inout Int) -> Int? {
    switch layer {
    case let c as Conv2d:
      // k/2: an even kernel reads one pixel more on one side.
      let k = c.weight.value.shape[2]
      defer { scale *= c.options.stride }
      return c.options.dilation * (k / 2) * scale
    case let t as ConvTranspose2d:
      // Conservative: a whole kernel of input pixels.
      defer { scale = max(1, scale / t.options.stride) }
      return t.weight.value.shape[2] * t.options.dilation * scale
    case let u as Upsample:
      defer { scale = max(1, scale / u.factor) }
      return scale
    case let s as Sequential:
      var total = 0
      for l in s.layers {
        guard let r = reach(l, scale: &scale) else { return nil }
        total += r
      }
      return total
    case let n as Named: return reach(n.layer, scale: &scale)
    case is Pad2d, is ReLU, is LeakyReLU, is Tanh, is Sigmoid, is Identity, is Dropout: return 0
    default: return nil
    }
  }

  /// Runs `state` up to (not including) step `stop`, normalizing the k-th InstanceNorm with `statistics[k]`.
  func run(_ state: ForwardState, until stop: Int, statistics: [NormalizationStatistics]) -> ForwardState {
    var (y, saved) = (Variable(state.y), state.saved.map { Variable($0) })
    var normIndex = normSteps.firstIndex { $0 >= state.step } ?? normSteps.count
    for i in state.step..<stop {
      switch steps[i] {
      case .layer(let layer): y = layer(y)
      case .norm(let norm):
        y = Variable(
          instanceNorm(y.value, weight: norm.weight?.value, bias: norm.bias?.value, statistics: statistics[normIndex]))
        normIndex += 1
      case .save: saved.append(y)
      case .addSaved: y = saved.removeLast() + y
      case .concatSaved: y = concatChannels([saved.removeLast(), y])
      case .colourTransformSaved:
        y = upsampledColourTransform(y, factor: 1 << ResnetConstants.samplings, saved.removeLast())
      }
    }
    return ForwardState(step: stop, y: y.value, saved: saved.map(\.value))
  }

  private static func flatten(_ layer: any Layer) -> [ForwardStep]? {
    func all(_ layers: [any Layer]) -> [ForwardStep]? {
      var steps: [ForwardStep] = []
      for l in layers {
        guard let s = flatten(l) else { return nil }
        steps += s
      }
      return steps
    }
    switch layer {
    case let norm as InstanceNorm2d: return [.norm(norm)]
    case let s as Sequential: return all(s.layers)
    case let n as Named: return flatten(n.layer)
    case let g as ResnetGenerator:
      guard let trunk = flatten(g.model) else { return nil }
      return g.upsampling == .colourTransform ? [.save] + trunk + [.colourTransformSaved] : trunk
    case let b as ResnetBlock: return flatten(b.convBlock).map { [.save] + $0 + [.addSaved] }
    case let g as UnetGenerator: return flatten(g.model)
    case let b as UnetSkipBlock:
      // Not outermost: the leading LeakyReLU's output is both the skip and the rest's input.
      guard b.position != .outermost else { return flatten(b.model) }
      return all(Array(b.model.layers.dropFirst())).map { [.layer(b.model.layers[0]), .save] + $0 + [.concatSaved] }
    case let s as StyleTransformerNetwork: return flatten(s.model)
    case let b as StyleResidualBlock: return flatten(b.convBlock).map { [.save] + $0 + [.addSaved] }
    default: return containsInstanceNorm(layer) ? nil : [.layer(layer)]
    }
  }

  private static func containsInstanceNorm(_ layer: any Layer) -> Bool {
    layer is InstanceNorm2d || layer.sublayers.contains { containsInstanceNorm($0) }
  }
}
