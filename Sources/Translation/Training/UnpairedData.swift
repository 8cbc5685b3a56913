// Unpaired training data as junyanz's UnalignedDataset: an epoch visits max(|A|, |B|) items in a shuffled
// order, image A = order[i] mod |A|, image B drawn at random; each image is preprocessed (resize/crop/flip)
// with its own domain's random draws.

import Foundation

public struct UnpairedData: TrainingData {
  public let domainA: TrainingDomain, domainB: TrainingDomain

  public init(a: (name: String, folder: URL), b: (name: String, folder: URL), augmentation: Augmentation) throws {
    domainA = try TrainingDomain(name: a.name, folder: a.folder, augmentation: augmentation)
    domainB = try TrainingDomain(name: b.name, folder: b.folder, augmentation: augmentation)
  }

  public var itemsPerEpoch: Int { max(domainA.usable.count, domainB.usable.count) }
  public var skipped: [String] { domainA.skipped + domainB.skipped }

  public func samples(_ augmentation: Augmentation, channels: Int) -> (a: Tensor, b: Tensor) {
    (domainA.sample(augmentation, channels: channels), domainB.sample(augmentation, channels: channels))
  }

  public func batches(
    augmentation: Augmentation, batchSize: Int, channels: Int, seed: UInt64, epoch: Int,
    startIteration: Int = 0
  ) -> EpochBatches {
    let (a, b) = (domainA, domainB)
    var rng = EpochBatches.generator(seed: seed, epoch: epoch)
    var order = Array(0..<itemsPerEpoch)
    order.shuffle(using: &rng)
    let orderA = order.map { a.usable[$0 % a.usable.count] }
    let orderB = order.map { _ in b.usable[Int(rng.next() % UInt64(b.usable.count))] }
    let seedA = rng.next()
    let seedB = rng.next()
    return EpochBatches(
      a: a, orderA: orderA, seedA: seedA, b: b, orderB: orderB, seedB: seedB, augmentation: augmentation,
      batchSize: batchSize, channels: channels, startIteration: startIteration)
  }
}
