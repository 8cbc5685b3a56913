// Instance normalization (Ulyanov et al. 2016) and batch normalization (Ioffe & Szegedy 2015) as PyTorch's
// InstanceNorm2d / BatchNorm2d: biased variance for normalizing, eps added inside the square root.
// Both normalize groups of planes: instance norm one (n, c) plane, batch norm the N planes of channel c.

import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PyTorch's default eps for InstanceNorm2d and BatchNorm2d.
public let normalizationEpsilon: Float = 1e-5

/// What backward needs from a normalization forward: per-group mean and 1/√(var + eps).
public struct NormalizationStatistics: Sendable {
  public var mean: [Float]
  public var invStd: [Float]
  public init(mean: [Float], invStd: [Float]) {
    self.mean = mean
    self.invStd = invStd
  }
}

/// The planes a normalization averages over: group g holds planes `g·stride + i·step`, i < count.
struct PlaneGroups: Sendable {
  let groups: Int, count: Int, step: Int, plane: Int
  /// Instance norm: one (n, c) plane per group.
  static func instance(_ shape: [Int]) -> PlaneGroups {
    PlaneGroups(groups: shape[0] * shape[1], count: 1, step: 0, plane: shape[2] * shape[3])
  }
  /// Batch norm: group c holds planes (n, c) for every n.
  static func batch(_ shape: [Int]) -> PlaneGroups {
    PlaneGroups(groups: shape[1], count: shape[0], step: shape[1], plane: shape[2] * shape[3])
  }
  /// Offset of plane i of group g (instance: g is n·C + c; batch: g is c).
  func offset(_ g: Int, _ i: Int) -> Int { (g + i * step) * plane }
  var elements: Int { count * plane }
}

/// Per-group mean and biased variance: each plane's in one pass over memory (ck_moments), the planes of a group
/// merged as ck_moments merges its runs.
func groupMoments(_ x: UnsafePointer<Float>, _ pg: PlaneGroups) -> (mean: [Double], variance: [Double]) {
  var mean = [Double](repeating: 0, count: pg.groups)
  var variance = mean
  let xs = SendablePointer(x)
  mean.withUnsafeMutableBufferPointer { mb in
    variance.withUnsafeMutableBufferPointer { vb in
      let m = SendablePointer(mb.baseAddress!)
      let v = SendablePointer(vb.baseAddress!)
      parallelFor(pg.groups, grain: max(1, 16_384 / max(pg.elements, 1))) { range in
        for g in range {
          var (count, mu, sq) = (0.0, 0.0, 0.0)
          for i in 0..<pg.count where pg.plane > 0 {
            var (planeMean, planeSquares) = (0.0, 0.0)
            ck_moments(xs.base + pg.offset(g, i), pg.plane, &planeMean, &planeSquares)
            let (n, total, delta) = (Double(pg.plane), count + Double(pg.plane), planeMean - mu)
            mu += delta * n / total
            sq += planeSquares + delta * delta * count * n / total
            count = total
          }
          m.base[g] = mu
          v.base[g] = count > 0 ? sq / count : 0
        }
      }
    }
  }
  return (mean, variance)
}

/// The map a normalization applies to each group: y = x·scale + shift (then ReLU), scale = invStd·γ and
/// shift = β − mean·scale; γ, β indexed by channel = group % channels (1 and 0 without them).
struct NormalizationAffine: Sendable {
  let scale: [Float], shift: [Float], relu: Bool

  init(
    mean: [Float], invStd: [Float], channels: Int, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
    relu: Bool
  ) {
    let scale = invStd.indices.map { invStd[$0] * (weight?[$0 % channels] ?? 1) }
    shift = mean.indices.map { (bias?[$0 % channels] ?? 0) - mean[$0] * scale[$0] }
    self.scale = scale
    self.relu = relu
  }
}

/// One image's planes of a NormalizationAffine, as the C transforms take them.
struct ImageAffine: Sendable {
  let scale: SendablePointer<Float>, shift: SendablePointer<Float>, relu: Int32
}

extension NormalizationAffine {
  /// Runs `body` with each image's part of `map` (C channels per image), all nil when `map` is nil.
  static func perImage<R>(_ map: NormalizationAffine?, batch: Int, channels: Int, _ body: ([ImageAffine?]) -> R) -> R {
    guard let map else { return body(Array(repeating: nil, count: batch)) }
    return map.scale.withUnsafeBufferPointer { scale in
      map.shift.withUnsafeBufferPointer { shift in
        body(
          (0..<batch).map { n in
            ImageAffine(
              scale: SendablePointer(scale.baseAddress! + n * channels),
              shift: SendablePointer(shift.baseAddress! + n * channels), relu: map.relu ? 1 : 0)
          })
      }
    }
  }
}

/// y = (x − mean)·invStd·γ + β per group (NormalizationAffine), then ReLU with `relu`.
func normalizeApply(
  _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ pg: PlaneGroups, channels: Int,
  mean: [Float], invStd: [Float], weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, relu: Bool = false
) {
  let affine = NormalizationAffine(
    mean: mean, invStd: invStd, channels: channels, weight: weight, bias: bias, relu: relu)
  let (xs, ys) = (SendablePointer(x), SendablePointer(y))
  parallelFor(pg.groups, grain: max(1, 16_384 / max(pg.elements, 1))) { range in
    for g in range {
      for i in 0..<pg.count {  // in C: this loop stayed scalar in Swift
        ck_scale_shift(
          xs.base + pg.offset(g, i), ys.base + pg.offset(g, i), pg.plane, affine.scale[g], affine.shift[g],
          affine.relu ? 1 : 0)
      }
    }
  }
}

/// Gradients of y = x̂·γ + β with x̂ = (x − mean)·invStd over each group:
/// dx = invStd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·γ; dγ += Σ dy·x̂; dβ += Σ dy.
/// Returns dx; accumulates dWeight and dBias when given.
func normalizeBackward(
  _ dy: Tensor, _ x: Tensor, _ pg: PlaneGroups, channels: Int, stats: NormalizationStatistics,
  weight: UnsafePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?
) -> Tensor {
  // Per group: Σ dy and Σ dy·x̂ = invStd · Σ dy·(x − μ).
  var sumDy = [Double](repeating: 0, count: pg.groups)
  var sumDyXhat = sumDy
  let grain = max(1, 16_384 / max(pg.elements, 1))
  sumDy.withUnsafeMutableBufferPointer { sd in
    sumDyXhat.withUnsafeMutableBufferPointer { sx in
      let (sds, sxs, dys, xs) = (
        SendablePointer(sd.baseAddress!), SendablePointer(sx.baseAddress!),
        SendablePointer(dy.pointer), SendablePointer(x.pointer)
      )
      parallelFor(pg.groups, grain: grain) { groups in
        for g in groups {
          var s = 0.0
          var sxc = 0.0
          for i in 0..<pg.count {
            let o = pg.offset(g, i)
            s += ck_sum(dys.base + o, pg.plane)
            sxc += ck_dot_centered(dys.base + o, xs.base + o, pg.plane, stats.mean[g])
          }
          sds.base[g] = s
          sxs.base[g] = sxc * Double(stats.invStd[g])
        }
      }
    }
  }
  for g in 0..<pg.groups {
    let c = g % channels
    dWeight?[c] += Float(sumDyXhat[g])
    dBias?[c] += Float(sumDy[g])
  }
  let n = Float(pg.elements)
  let (totals, weighted) = (sumDy, sumDyXhat)
  let (dys, xs) = (SendablePointer(dy.pointer), SendablePointer(x.pointer))
  let ws = weight.map { SendablePointer($0) }
  return Tensor(shape: x.shape) { dx in
    let out = SendablePointer(dx.baseAddress!)
    parallelFor(pg.groups, grain: grain) { groups in
      for g in groups {
        let gamma = ws?.base[g % channels] ?? 1
        let mu = stats.mean[g]
        let inv = stats.invStd[g]
        let meanD = Float(totals[g]) * gamma / n
        let meanDX = Float(weighted[g]) * gamma / n
        for i in 0..<pg.count {
          let o = pg.offset(g, i)
          let d = dys.base + o
          let xp = xs.base + o
          let dst = out.base + o
          for j in 0..<pg.plane {
            let xhat = (xp[j] - mu) * inv
            dst[j] = inv * (d[j] * gamma - meanD - xhat * meanDX)
          }
        }
      }
    }
  }
}

/// x: (N, C, H, W), weight/bias: (C) or nil (affine = false) → y: (N, C, H, W), statistics per (n, c).
/// With `thenReLU`, y = max(that, 0) in the same pass (inference: InstanceNorm2d followed by ReLU).
public func instanceNorm(
  _ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = normalizationEpsilon, thenReLU: Bool = false
) -> (y: Tensor, stats: NormalizationStatistics) {
  precondition(x.rank == 4, "instanceNorm: expects (N, C, H, W), got \(x.shape)")
  let r = normalizeByOwnStatistics(x, .instance(x.shape), weight: weight, bias: bias, eps: eps, relu: thenReLU)
  return (r.y, r.stats)
}

/// `instanceNorm(x, …, thenReLU:).y` written over x (inference: the activation's own memory serves its
/// normalized self; a copy is made first only when x's storage is shared). Same values as `instanceNorm`.
public func instanceNormInPlace(
  _ x: inout Tensor, weight: Tensor?, bias: Tensor?, eps: Float = normalizationEpsilon, thenReLU: Bool = false
) {
  precondition(x.rank == 4, "instanceNorm: expects (N, C, H, W), got \(x.shape)")
  let pg = PlaneGroups.instance(x.shape)
  let (stats, _, _) = ownStatistics(x, pg, eps: eps)
  let channels = x.shape[1]
  x.withUnsafeMutableBufferPointer { y in
    guard let base = y.baseAddress else { return }
    normalizeApply(
      base, base, pg, channels: channels, mean: stats.mean, invStd: stats.invStd, weight: weight?.pointer,
      bias: bias?.pointer, relu: thenReLU)
  }
}

/// Each group's mean and 1/√(biased variance + eps), with the Double mean and variance they come from.
func ownStatistics(_ x: Tensor, _ pg: PlaneGroups, eps: Float) -> (
  stats: NormalizationStatistics, mean: [Double], variance: [Double]
) {
  let (mean, variance) = groupMoments(x.pointer, pg)
  let stats = NormalizationStatistics(
    mean: mean.map { Float($0) }, invStd: variance.map { Float(1 / ($0 + Double(eps)).squareRoot()) })
  return (stats, mean, variance)
}

/// Normalizes each group by its own mean and biased variance (both returned, the variance for running stats).
func normalizeByOwnStatistics(
  _ x: Tensor, _ pg: PlaneGroups, weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool = false
) -> (y: Tensor, stats: NormalizationStatistics, mean: [Double], variance: [Double]) {
  let (stats, mean, variance) = ownStatistics(x, pg, eps: eps)
  let y = Tensor(shape: x.shape) { y in
    normalizeApply(
      x.pointer, y.baseAddress!, pg, channels: x.shape[1], mean: stats.mean, invStd: stats.invStd,
      weight: weight?.pointer, bias: bias?.pointer, relu: relu)
  }
  return (y, stats, mean, variance)
}

/// Gradients of `instanceNorm`: returns dx and accumulates dWeight, dBias (when affine).
public func instanceNormBackward(
  _ dy: Tensor, _ x: Tensor, stats: NormalizationStatistics, weight: Tensor?,
  dWeight: UnsafeMutablePointer<Float>? = nil, dBias: UnsafeMutablePointer<Float>? = nil
) -> Tensor {
  normalizeBackward(
    dy, x, .instance(x.shape), channels: x.shape[1], stats: stats, weight: weight?.pointer,
    dWeight: dWeight, dBias: dBias)
}

/// Batch normalization in training mode: normalizes each channel over (N, H, W) with the batch's biased
/// variance and updates the running statistics with PyTorch's rule (momentum 0.1, *unbiased* variance).
/// x: (N, C, H, W), weight/bias: (C)?, runningMean/runningVar: (C).
public func batchNormTrain(
  _ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: inout Tensor, runningVar: inout Tensor,
  momentum: Float = 0.1, eps: Float = normalizationEpsilon
) -> (y: Tensor, stats: NormalizationStatistics) {
  precondition(x.rank == 4, "batchNorm: expects (N, C, H, W), got \(x.shape)")
  let pg = PlaneGroups.batch(x.shape)
  precondition(pg.elements > 1, "batchNorm: training needs more than one value per channel, got \(x.shape)")
  let r = normalizeByOwnStatistics(x, pg, weight: weight, bias: bias, eps: eps)
  let unbiased = Double(pg.elements) / Double(pg.elements - 1)
  runningMean.withUnsafeMutableBufferPointer { rm in
    runningVar.withUnsafeMutableBufferPointer { rv in
      for c in 0..<pg.groups {
        rm[c] = (1 - momentum) * rm[c] + momentum * Float(r.mean[c])
        rv[c] = (1 - momentum) * rv[c] + momentum * Float(r.variance[c] * unbiased)
      }
    }
  }
  return (r.y, r.stats)
}

/// Gradients of `batchNormTrain`: returns dx and accumulates dWeight, dBias.
public func batchNormTrainBackward(
  _ dy: Tensor, _ x: Tensor, stats: NormalizationStatistics, weight: Tensor?,
  dWeight: UnsafeMutablePointer<Float>? = nil, dBias: UnsafeMutablePointer<Float>? = nil
) -> Tensor {
  normalizeBackward(
    dy, x, .batch(x.shape), channels: x.shape[1], stats: stats, weight: weight?.pointer,
    dWeight: dWeight, dBias: dBias)
}

/// Batch normalization in evaluation mode: a fixed per-channel affine map y = (x − μ)·γ/√(σ² + eps) + β from
/// the running statistics (constants, so its backward is that per-channel scale).
public func batchNormEval(
  _ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVar: Tensor,
  eps: Float = normalizationEpsilon
) -> Tensor {
  let pg = PlaneGroups.batch(x.shape)
  let invStd = runningVar.scalars.map { 1 / ($0 + eps).squareRoot() }
  return Tensor(shape: x.shape) { y in
    normalizeApply(
      x.pointer, y.baseAddress!, pg, channels: x.shape[1], mean: runningMean.scalars, invStd: invStd,
      weight: weight?.pointer, bias: bias?.pointer)
  }
}

/// Instance normalization with given per-(n, c) statistics instead of the input's own: tiles of a large image
/// normalized with whole-image statistics. x: (N, C, H, W), stats for N·C planes.
public func instanceNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, statistics: NormalizationStatistics) -> Tensor {
  precondition(
    x.rank == 4 && statistics.mean.count == x.shape[0] * x.shape[1],
    "instanceNorm: \(statistics.mean.count) statistics for \(x.shape)")
  return Tensor(shape: x.shape) { y in
    normalizeApply(
      x.pointer, y.baseAddress!, .instance(x.shape), channels: x.shape[1], mean: statistics.mean,
      invStd: statistics.invStd, weight: weight?.pointer, bias: bias?.pointer)
  }
}
