// Paired training data as junyanz's AlignedDataset, from two aligned folders instead of side-by-side AB
// images: an image of A and the image of B with the same relative path form a pair; an epoch visits every pair
// once in a shuffled order, and both images of a pair get the same crop and flip (junyanz draws one set of
// transform parameters per pair): both domains' loaders draw from the same seed.

import Foundation

public struct PairedData: TrainingData {
  public let domainA: TrainingDomain, domainB: TrainingDomain
  /// The pairs, as indices into each domain's files, in A's file order.
  public let pairs: [(a: Int, b: Int)]
  public let skipped: [String]

  /// Decodes both folders once and matches their files by relative path. A file without a namesake in the
  /// other folder, or whose partner has another size (the shared crop needs equal sizes), is reported and skipped.
  public init(a: (name: String, folder: URL), b: (name: String, folder: URL), augmentation: Augmentation) throws {
    domainA = try TrainingDomain(name: a.name, folder: a.folder, augmentation: augmentation)
    domainB = try TrainingDomain(name: b.name, folder: b.folder, augmentation: augmentation)
    let (da, db) = (domainA, domainB)
    var inB: [String: Int] = [:]
    for j in db.usable { inB[db.relativePath(j)] = j }
    var pairs: [(a: Int, b: Int)] = []
    var skipped = da.skipped + db.skipped
    var matched = Set<Int>()
    for i in da.usable {
      let name = da.relativePath(i)
      let fileA = da.loader.folder.files[i]
      guard let j = inB[name] else {
        skipped.append("\(fileA): no image of the same name in \(b.folder.path)")
        continue
      }
      matched.insert(j)
      let (sizeA, sizeB) = (da.sizes[i]!, db.sizes[j]!)
      guard sizeA == sizeB else {
        skipped.append(
          "\(fileA): \(sizeA.width)×\(sizeA.height), but its pair \(db.loader.folder.files[j]) is "
            + "\(sizeB.width)×\(sizeB.height); a pair needs one size")
        continue
      }
      pairs.append((i, j))
    }
    for j in db.usable where !matched.contains(j) {
      skipped.append("\(db.loader.folder.files[j]): no image of the same name in \(a.folder.path)")
    }
    guard !pairs.isEmpty else {
      throw TrainingDataError.emptyDomain(
        path: a.folder.path, reason: "no image has a partner of the same name and size in \(b.folder.path)")
    }
    self.pairs = pairs
    self.skipped = skipped
  }

  public var itemsPerEpoch: Int { pairs.count }

  public func samples(_ augmentation: Augmentation, channels: Int) -> (a: Tensor, b: Tensor) {
    (
      domainA.sample(augmentation, channels: channels, index: pairs[0].a),
      domainB.sample(augmentation, channels: channels, index: pairs[0].b)
    )
  }

  /// The pairs in a shuffled order; one augmentation seed for both domains, so that each pair is cropped and
  /// flipped alike (the two images have the same size, hence the same draws).
  public func batches(
    augmentation: Augmentation, batchSize: Int, channels: Int, seed: UInt64, epoch: Int,
    startIteration: Int = 0
  ) -> EpochBatches {
    var rng = EpochBatches.generator(seed: seed, epoch: epoch)
    var order = Array(pairs.indices)
    order.shuffle(using: &rng)
    let augmentationSeed = rng.next()
    return EpochBatches(
      a: domainA, orderA: order.map { pairs[$0].a }, seedA: augmentationSeed,
      b: domainB, orderB: order.map { pairs[$0].b }, seedB: augmentationSeed,
      augmentation: augmentation, batchSize: batchSize, channels: channels, startIteration: startIteration)
  }
}
