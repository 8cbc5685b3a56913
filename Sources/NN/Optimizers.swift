// Adam (Kingma & Ba 2015) and SGD with momentum, step for step as torch.optim (Adam: lerp for the first
// moment, bias corrections folded as PyTorch does). Their state saves to named tensors and restores exactly.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an optimizer saves: its step count and one tensor per (parameter, slot), named `param.slot`.
public struct OptimizerState {
  public var step: Int
  public var tensors: [(name: String, tensor: Tensor)]
  public init(step: Int, tensors: [(name: String, tensor: Tensor)]) {
    self.step = step
    self.tensors = tensors
  }
}

public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
  /// A saved slot is missing or has the wrong shape.
  case mismatch(name: String, reason: String)
  public var description: String {
    switch self {
    case .mismatch(let name, let reason): "optimizer state '\(name)': \(reason)"
    }
  }
}

/// torch.optim.Adam with L2 weight decay (added to the gradient, not decoupled).
public struct Adam {
  public let parameters: [NamedVariable]
  public var learningRate: Float
  public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
  public private(set) var step = 0
  private var firstMoment: [Tensor], secondMoment: [Tensor]

  public init(
    _ parameters: [NamedVariable], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    eps: Float = 1e-8, weightDecay: Float = 0
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.weightDecay = weightDecay
    firstMoment = parameters.map { Tensor(zeros: $0.variable.shape) }
    secondMoment = firstMoment
  }

  /// One update from the accumulated gradients; parameters without a gradient are left alone.
  public mutating func update() {
    step += 1
    // Bias corrections in Double, as PyTorch computes them with Python floats.
    let bias1 = 1 - pow(Double(beta1), Double(step))
    let bias2Root = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
    let stepSize = Float(Double(learningRate) / bias1)
    let coefficients = AdamCoefficients(
      beta1: beta1, beta2: beta2, stepSize: stepSize, bias2Root: bias2Root, eps: eps, weightDecay: weightDecay)
    for (i, p) in parameters.enumerated() {
      guard let grad = p.variable.grad else { continue }
      firstMoment[i].withUnsafeMutableBufferPointer { m in
        secondMoment[i].withUnsafeMutableBufferPointer { v in
          p.variable.value.withUnsafeMutableBufferPointer { w in
            let (ms, vs, ws, gs) = (
              SendablePointer(m.baseAddress!), SendablePointer(v.baseAddress!), SendablePointer(w.baseAddress!),
              SendablePointer(grad.pointer)
            )
            // Element by element, so the split over threads changes no result. It streams 7 floats per weight
            // (28M weights in a ResNet-9 CycleGAN).
            parallelFor(w.count, grain: 1 << 16) { range in
              adamStep(
                weights: ws.base + range.lowerBound, firstMoment: ms.base + range.lowerBound,
                secondMoment: vs.base + range.lowerBound, gradient: gs.base + range.lowerBound, count: range.count,
                coefficients)
            }
          }
        }
      }
    }
  }

  public func zeroGrad() { for p in parameters { p.variable.zeroGrad() } }

  public var state: OptimizerState {
    OptimizerState(
      step: step,
      tensors: parameters.indices.flatMap { i in
        [("\(parameters[i].name).exp_avg", firstMoment[i]), ("\(parameters[i].name).exp_avg_sq", secondMoment[i])]
      })
  }

  public mutating func restore(_ state: OptimizerState) throws {
    let saved = Dictionary(state.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    for (i, p) in parameters.enumerated() {
      firstMoment[i] = try slot(saved, "\(p.name).exp_avg", p.variable.shape)
      secondMoment[i] = try slot(saved, "\(p.name).exp_avg_sq", p.variable.shape)
    }
    step = state.step
  }
}

/// torch.optim.SGD with momentum (dampening 0, not Nesterov): buf = μ·buf + g (buf = g at the first step).
public struct SGD {
  public let parameters: [NamedVariable]
  public var learningRate: Float
  public let momentum: Float
  public private(set) var step = 0
  private var buffers: [Tensor?]

  public init(_ parameters: [NamedVariable], learningRate: Float, momentum: Float = 0) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    buffers = Array(repeating: nil, count: parameters.count)
  }

  public mutating func update() {
    step += 1
    for (i, p) in parameters.enumerated() {
      guard let grad = p.variable.grad else { continue }
      var direction = grad
      if momentum != 0 {
        if var buf = buffers[i] {
          buf.withUnsafeMutableBufferPointer { b in for j in b.indices { b[j] = momentum * b[j] + grad.pointer[j] } }
          buffers[i] = buf
          direction = buf
        } else {
          buffers[i] = grad
        }
      }
      p.variable.value.add(direction, scale: -learningRate)
    }
  }

  public func zeroGrad() { for p in parameters { p.variable.zeroGrad() } }

  public var state: OptimizerState {
    OptimizerState(
      step: step,
      tensors: parameters.indices.compactMap { i in
        buffers[i].map { ("\(parameters[i].name).momentum_buffer", $0) }
      })
  }

  public mutating func restore(_ state: OptimizerState) throws {
    let saved = Dictionary(state.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    for (i, p) in parameters.enumerated() {
      let name = "\(p.name).momentum_buffer"
      buffers[i] = saved[name] == nil ? nil : try slot(saved, name, p.variable.shape)
    }
    step = state.step
  }
}

private func slot(_ saved: [String: Tensor], _ name: String, _ shape: [Int]) throws -> Tensor {
  guard let t = saved[name] else { throw OptimizerStateError.mismatch(name: name, reason: "missing") }
  guard t.shape == shape else {
    throw OptimizerStateError.mismatch(name: name, reason: "shape \(t.shape), parameter has \(shape)")
  }
  return t
}
