// An optimizer's gradients as one flat buffer, so that a collective (Distributed: the sum over the ranks of a
// data-parallel job) moves them in one call instead of one per tensor.

extension Adam {
  /// The gradients of the parameters that have one, in parameter order, concatenated and multiplied by `scale`.
  public func flatGradients(scale: Float = 1) -> [Float] {
    var flat: [Float] = []
    flat.reserveCapacity(parameters.reduce(0) { $0 + ($1.variable.grad?.count ?? 0) })
    for p in parameters {
      guard let grad = p.variable.grad else { continue }
      grad.withUnsafeBufferPointer { g in flat.append(contentsOf: g.lazy.map { $0 * scale }) }
    }
    return flat
  }

  /// Replaces the gradients `flatGradients` read by the values of `flat` (the same layout).
  public func setGradients(_ flat: [Float]) {
    var offset = 0
    for p in parameters {
      guard let grad = p.variable.grad else { continue }
      let n = grad.count
      precondition(offset + n <= flat.count, "setGradients: \(flat.count) values for more gradients")
      p.variable.grad = Tensor(shape: grad.shape, values: Array(flat[offset..<offset + n]))
      offset += n
    }
    precondition(offset == flat.count, "setGradients: \(flat.count) values for \(offset) gradient values")
  }
}
