// Data-parallel training as synchronous SGD (Goyal et al. 2017; Horovod's and PyTorch DDP's allreduce): every
// rank holds the whole model and takes a contiguous share of each step's global batch; before each optimizer
// step the ranks' gradients, weighted by their shares, are summed in one collective per optimizer. The losses
// are means over images, so N ranks × batch b train as 1 rank × batch N·b (up to summation order).

import Distributed
import Foundation

/// This rank's part of one step: images [rank·perRank, (rank + 1)·perRank) of the global batch.
public struct BatchShare: Equatable, Sendable {
  /// Images per rank (--batch-size), the number of ranks and this one.
  public let perRank: Int, ranks: Int, rank: Int
  /// Images in this step's global batch, ≤ perRank·ranks (an epoch's last batch may be short).
  public var global: Int

  public init(perRank: Int, ranks: Int, rank: Int, global: Int) {
    (self.perRank, self.ranks, self.rank, self.global) = (perRank, ranks, rank, global)
  }

  /// One process taking whole batches.
  static func alone(_ global: Int) -> BatchShare { BatchShare(perRank: global, ranks: 1, rank: 0, global: global) }

  /// This rank's positions in the global batch; empty when a short batch leaves it idle.
  public var positions: Range<Int> {
    let start = min(rank * perRank, global)
    return start..<min(start + perRank, global)
  }

  /// The weight of this rank's gradients and losses: its share of the global batch's images.
  public var weight: Float { global > 0 ? Float(positions.count) / Float(global) : 0 }

  /// This rank's images of a global batch (m, C, H, W). An idle rank still runs the step (the collectives need
  /// every rank) on the batch's first image, with weight 0.
  public func local(_ batch: Tensor) -> Tensor {
    guard ranks > 1 else { return batch }
    let items = batch.unstacked()
    return positions.isEmpty ? items[0] : Tensor(stacking: Array(items[positions]))
  }
}

/// The other ranks of a data-parallel run, as a model's training step sees them. With one process every
/// operation is the identity, so a single-process step is unchanged to the bit.
public final class Replicas {
  public let communicator: any Communicator
  /// The share of the step being taken (set by the trainer before each step).
  public var share = BatchShare.alone(1)
  /// The first collective that failed during a step (the step itself does not throw; the trainer rethrows it).
  public private(set) var failure: CommunicationError?

  public init(_ communicator: any Communicator = SingleProcess()) { self.communicator = communicator }

  private var alone: Bool { communicator.size == 1 }

  /// Replaces `optimizer`'s gradients by the weighted sum over the ranks: the gradient of the global batch's
  /// mean loss. One collective on one flat buffer.
  public func average(_ optimizer: Adam) {
    guard !alone, failure == nil else { return }
    var flat = optimizer.flatGradients(scale: share.weight)
    do { try communicator.sum(&flat) } catch {
      failure = error
      return
    }
    optimizer.setGradients(flat)
  }

  /// The global batch (m, C, H, W) from every rank's images `local` (its share, in rank order); an idle rank's
  /// stand-in image is left out. Each rank sees the same tensor, so whatever draws from it (the image pools)
  /// draws the same on every rank, and as one process would.
  public func gathered(_ local: Tensor) -> Tensor {
    guard !alone, failure == nil else { return local }
    let mine = share.positions.isEmpty ? [] : local.scalars
    let bytes = mine.withUnsafeBytes { Array($0) }
    let all: [[UInt8]]
    do { all = try communicator.gather(bytes) } catch {
      failure = error
      return local
    }
    let values = all.flatMap { part in
      part.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
    return Tensor(shape: [share.global] + local.shape.dropFirst(), values: values)
  }

  /// This rank's images of a global batch; an idle rank keeps its own stand-in `local`.
  public func mine(of global: Tensor, own local: Tensor) -> Tensor {
    guard !alone else { return global }
    return share.positions.isEmpty ? local : share.local(global)
  }

  /// The global batch's mean losses from every rank's (weighted by the shares); the same on every rank.
  func averaged(_ losses: [NamedLoss]) throws(CommunicationError) -> [NamedLoss] {
    guard !alone else { return losses }
    var values = losses.map { Double($0.value) * Double(share.weight) }
    try communicator.sum(&values)
    return zip(losses, values).map { NamedLoss($0.name, Float($1)) }
  }

  /// Rethrows a collective's failure during the last step.
  func check() throws(CommunicationError) {
    if let failure { throw failure }
  }
}

extension Replicas {
  /// FNV-1a (64-bit) of every parameter's bits, network by network: equal on every rank while the replicas agree.
  public static func hash(_ networks: [(prefix: String, layer: any Layer)]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for (_, layer) in networks {
      for p in layer.parameters {
        p.variable.value.withUnsafeBufferPointer { values in
          for v in values {
            var bits = v.bitPattern
            for _ in 0..<4 {
              h = (h ^ UInt64(bits & 0xff)) &* 0x0000_0100_0000_01b3
              bits >>= 8
            }
          }
        }
      }
    }
    return h
  }

  /// Compares `hash` (of this rank's weights) across the ranks; throws `replicasDiverged` naming the ranks whose
  /// weights differ from rank 0's. The same answer on every rank, so every rank stops together.
  public func checkAgreement(hash: UInt64, step: Int) throws {
    guard !alone else { return }
    let all = try communicator.gather(withUnsafeBytes(of: hash.littleEndian) { Array($0) })
    let hashes = all.map { bytes in bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
    let differing = hashes.indices.filter { hashes[$0] != hashes[0] }
    guard differing.isEmpty else { throw TrainingError.replicasDiverged(step: step, ranks: differing) }
  }
}
