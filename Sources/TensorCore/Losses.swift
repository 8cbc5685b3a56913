// Losses with mean reduction, as PyTorch's L1Loss, MSELoss and BCEWithLogitsLoss. Each returns the loss and
// has a backward that returns d(loss)/d(prediction) scaled by the upstream scalar gradient.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// mean |p − t|
public func l1Loss(_ p: Tensor, _ t: Tensor) -> Float {
  precondition(p.shape == t.shape, "l1Loss: \(p.shape) vs \(t.shape)")
  return meanOf(p, t) { abs($0 - $1) }
}
/// d/dp = sign(p − t)/n (sign(0) = 0, as PyTorch).
public func l1LossBackward(_ p: Tensor, _ t: Tensor, scale: Float = 1) -> Tensor {
  let s = scale / Float(p.count)
  return p.zipWith(t, "l1LossBackward") { a, b in a > b ? s : (a < b ? -s : 0) }
}

/// mean (p − t)²
public func mseLoss(_ p: Tensor, _ t: Tensor) -> Float {
  precondition(p.shape == t.shape, "mseLoss: \(p.shape) vs \(t.shape)")
  return meanOf(p, t) { ($0 - $1) * ($0 - $1) }
}
/// d/dp = 2(p − t)/n
public func mseLossBackward(_ p: Tensor, _ t: Tensor, scale: Float = 1) -> Tensor {
  let s = 2 * scale / Float(p.count)
  return p.zipWith(t, "mseLossBackward") { ($0 - $1) * s }
}

/// mean of max(x, 0) − x·t + log(1 + e^(−|x|)): binary cross-entropy on logits, stable for any |x|.
public func bceWithLogitsLoss(_ x: Tensor, _ t: Tensor) -> Float {
  precondition(x.shape == t.shape, "bceWithLogitsLoss: \(x.shape) vs \(t.shape)")
  return meanOf(x, t) { x, t in max(x, 0) - x * t + log1pf(expf(-abs(x))) }
}
/// d/dx = (σ(x) − t)/n
public func bceWithLogitsLossBackward(_ x: Tensor, _ t: Tensor, scale: Float = 1) -> Tensor {
  let s = scale / Float(x.count)
  return x.zipWith(t, "bceWithLogitsLossBackward") { (stableSigmoid($0) - $1) * s }
}

/// mean over elements of f(a[i], b[i]), accumulated in Double.
func meanOf(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Float {
  var total = 0.0
  var i = 0
  while i < a.count {
    let end = min(i + 4096, a.count)
    var block: Float = 0
    for j in i..<end { block += f(a.pointer[j], b.pointer[j]) }
    total += Double(block)
    i = end
  }
  return Float(total / Double(max(a.count, 1)))
}
