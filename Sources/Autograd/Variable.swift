// Reverse-mode automatic differentiation (micrograd's idea): a Variable holds a value, an ordered list of
// parents and a closure that maps its output gradient to its parents' gradients. `backward()` visits the
// graph in reverse topological order and accumulates. Inference records nothing (`withoutGradients`).

@_exported import TensorCore

/// Whether differentiable ops record the graph. Task-local, so concurrent tests and threads do not interfere.
public enum GradientMode {
  @TaskLocal public static var isEnabled = true

  /// Runs `body` with recording off: ops return plain values with no parents, closures or gradient memory.
  public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try $isEnabled.withValue(false, operation: body)
  }
}

/// A tensor in the computation graph.
public final class Variable {
  /// The forward value.
  public var value: Tensor
  /// d(output)/d(self), accumulated by `backward()`. Kept for leaves only; intermediate gradients are freed.
  public var grad: Tensor?
  /// True for parameters and for every result computed from one while recording. Settable on leaves to
  /// freeze parameters (PyTorch's `requires_grad_(False)`: the discriminators during the generator step),
  /// which also skips computing their gradients.
  public var requiresGrad: Bool {
    didSet { precondition(isLeaf, "requiresGrad can only be changed on leaves") }
  }
  let parents: [Variable]
  /// Maps this node's gradient to one gradient per parent (nil: no gradient for that parent).
  var backwardFn: ((Tensor) -> [Tensor?])?

  /// A leaf: a parameter (`requiresGrad: true`) or a constant input.
  public init(_ value: Tensor, requiresGrad: Bool = false) {
    self.value = value
    self.requiresGrad = requiresGrad
    parents = []
  }

  /// The result of an op. Records `parents` and `backward` only when gradients are enabled and some parent
  /// requires them; otherwise it is a constant.
  public init(_ value: Tensor, parents: [Variable], backward: @escaping (Tensor) -> [Tensor?]) {
    self.value = value
    let record = GradientMode.isEnabled && parents.contains { $0.requiresGrad }
    requiresGrad = record
    self.parents = record ? parents : []
    backwardFn = record ? backward : nil
  }

  public var shape: [Int] { value.shape }
  var isLeaf: Bool { parents.isEmpty }

  /// Back-propagates from this variable. `seed` defaults to ones (for a scalar loss: d loss/d loss = 1).
  /// Each node's closure runs once and is then released, with the tensors it captured.
  public func backward(_ seed: Tensor? = nil) {
    guard requiresGrad else { return }
    let start = seed ?? Tensor(repeating: 1, shape: value.shape)
    precondition(start.shape == value.shape, "backward: seed \(start.shape) for value \(value.shape)")
    accumulate(start)
    for node in topologicalOrder().reversed() {
      guard let fn = node.backwardFn, let g = node.grad else { continue }
      let parentGrads = fn(g)
      precondition(parentGrads.count == node.parents.count, "backward: closure returned \(parentGrads.count) gradients")
      node.backwardFn = nil
      if !node.isLeaf { node.grad = nil }
      for (parent, pg) in zip(node.parents, parentGrads) where parent.requiresGrad {
        if let pg { parent.accumulate(pg) }
      }
    }
  }

  func accumulate(_ g: Tensor) {
    precondition(g.shape == value.shape, "gradient \(g.shape) for value \(value.shape)")
    if grad == nil { grad = g } else { grad!.add(g) }
  }

  /// Nodes reachable from self that require gradients, parents before children (iterative DFS).
  func topologicalOrder() -> [Variable] {
    var order: [Variable] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Variable, Bool)] = [(self, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded {
        order.append(node)
        continue
      }
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      stack.append((node, true))
      for p in node.parents.reversed() where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
        stack.append((p, false))
      }
    }
    return order
  }
}

extension Variable {
  /// Clears the accumulated gradient (before an optimizer's next step).
  public func zeroGrad() { grad = nil }
  /// The scalar value of a one-element variable (a loss).
  public var scalar: Float {
    precondition(value.count == 1, "scalar: value has shape \(value.shape)")
    return value[flat: 0]
  }
}
