// Unpaired training data as junyanz's UnalignedDataset: an epoch visits max(|A|, |B|) items in a shuffled
// order, image A = order[i] mod |A|, image B drawn at random; each image is preprocessed (resize/crop/flip).
// Every random choice derives from (seed, epoch), so a run resumed mid-epoch sees the same batches.

import Foundation
import Synchronization

public enum TrainingDataError: Error, CustomStringConvertible, Equatable {
  /// A domain folder is missing, unreadable or holds no decodable image.
  case emptyDomain(path: String, reason: String)
  /// An image is too small for the crop the options ask for.
  case tooSmall(path: String, width: Int, height: Int, crop: Int)
  /// Options that cannot work together.
  case invalidOptions(String)

  public var description: String {
    switch self {
    case let .emptyDomain(path, reason): "\(path): \(reason)"
    case let .tooSmall(path, w, h, crop):
      "\(path): \(w)×\(h) is smaller than the \(crop)×\(crop) crop (use a smaller --crop-size or --preprocess resize_and_crop)"
    case let .invalidOptions(message): message
    }
  }
}

/// One domain's decodable images, checked once before training.
public struct TrainingDomain: Sendable {
  public let name: String
  public let loader: DomainLoader
  /// Indices (into loader.folder.files) of the images that decode and are large enough.
  public let usable: [Int]
  /// Files skipped with their reasons.
  public let skipped: [String]

  /// Lists and decodes every image once: unreadable files are reported and skipped; a file smaller than
  /// the crop (crop modes without resizing) stops training before it starts.
  public init(name: String, folder: URL, augmentation: Augmentation) throws {
    let listing: DomainFolder
    do { listing = try DomainFolder(folder) } catch {
      throw TrainingDataError.emptyDomain(path: folder.path, reason: error.reason)
    }
    let failures = FailureList()
    let loader = DomainLoader(folder: listing) { error in failures.append(error.description) }
    var usable: [Int] = []
    for i in listing.files.indices {
      guard let image = loader.load(i) else { continue }
      if augmentation.preprocess == .crop && min(image.width, image.height) < augmentation.cropSize {
        throw TrainingDataError.tooSmall(path: listing.files[i], width: image.width, height: image.height,
                                         crop: augmentation.cropSize)
      }
      usable.append(i)
    }
    guard !usable.isEmpty else {
      throw TrainingDataError.emptyDomain(
        path: folder.path, reason: listing.files.isEmpty ? "no PNG or JPEG images" : "none of its \(listing.files.count) images decode")
    }
    self.name = name
    self.loader = loader
    self.usable = usable
    skipped = failures.all
  }
}

extension TrainingDomain {
  /// The domain's first usable image as training sees it without the randomness (centred crop, no flip):
  /// (1, channels, crop, crop), for the sample rows of reports.
  public func sample(_ augmentation: Augmentation, channels: Int) -> Tensor {
    let crop = augmentation.cropSize
    let image = loader.load(usable[0]) ?? Image(width: crop, height: crop, channels: 3)
    return Tensor(image: augmentation.centred(image), channels: channels)
  }
}

/// Decode failures reported by a DomainLoader's callback (which may run on the prefetching thread).
final class FailureList: Sendable {
  private let list = Mutex<[String]>([])
  func append(_ message: String) { list.withLock { $0.append(message) } }
  var all: [String] { list.withLock { $0 } }
}

/// The batches of one epoch: (N, C, crop, crop) tensors for A and B, prefetched on a background thread.
public final class EpochBatches {
  public let count: Int
  private let loaderA: PrefetchingLoader, loaderB: PrefetchingLoader
  private let batchSize: Int, channels: Int

  /// The plan of `epoch` (1-based); iterations before `startIteration` are skipped (resume).
  public init(a: TrainingDomain, b: TrainingDomain, augmentation: Augmentation, batchSize: Int, channels: Int,
              seed: UInt64, epoch: Int, startIteration: Int = 0) {
    let items = max(a.usable.count, b.usable.count)
    count = (items + batchSize - 1) / batchSize
    self.batchSize = batchSize
    self.channels = channels
    var rng = SeededGenerator(seed: seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))
    var order = Array(0..<items)
    order.shuffle(using: &rng)
    let orderA = order.map { a.usable[$0 % a.usable.count] }
    let orderB = order.map { _ in b.usable[Int(rng.next() % UInt64(b.usable.count))] }
    // Skipped iterations still consume their augmentation draws, so resumed batches are identical.
    let skip = min(startIteration * batchSize, items)
    loaderA = PrefetchingLoader(loader: a.loader, order: orderA, augmentation: augmentation, generator: SeededGenerator(seed: rng.next()))
    loaderB = PrefetchingLoader(loader: b.loader, order: orderB, augmentation: augmentation, generator: SeededGenerator(seed: rng.next()))
    for _ in 0..<skip { _ = loaderA.next(); _ = loaderB.next() }
  }

  /// The next batch, or nil at the end of the epoch. The last batch may be smaller (junyanz drop_last=False).
  public func next() -> (a: Tensor, b: Tensor)? {
    var imagesA: [Tensor] = [], imagesB: [Tensor] = []
    while imagesA.count < batchSize, let x = loaderA.next(), let y = loaderB.next() {
      imagesA.append(Tensor(image: x.image, channels: channels))
      imagesB.append(Tensor(image: y.image, channels: channels))
    }
    guard !imagesA.isEmpty else { return nil }
    return (Tensor(stacking: imagesA), Tensor(stacking: imagesB))
  }
}
