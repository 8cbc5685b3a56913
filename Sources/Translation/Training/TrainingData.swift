// What every method's training data shares: the domain folders checked once (TrainingDomain), and the
// batches of one epoch prefetched from a plan of file orders and augmentation seeds (EpochBatches). The plans:
// UnpairedData.swift (CycleGAN) and PairedData.swift (pix2pix). Every random choice derives from (seed, epoch),
// so a run resumed mid-epoch sees the same batches.

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
    case .emptyDomain(let path, let reason): "\(path): \(reason)"
    case .tooSmall(let path, let w, let h, let crop):
      "\(path): \(w)×\(h) is smaller than the \(crop)×\(crop) crop (use a smaller --crop-size or --preprocess resize_and_crop)"
    case .invalidOptions(let message): message
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
  /// Width and height of each usable image as decoded.
  public let sizes: [Int: (width: Int, height: Int)]

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
    var sizes: [Int: (width: Int, height: Int)] = [:]
    for i in listing.files.indices {
      guard let image = loader.load(i) else { continue }
      sizes[i] = (image.width, image.height)
      if augmentation.preprocess == .crop && min(image.width, image.height) < augmentation.cropSize {
        throw TrainingDataError.tooSmall(
          path: listing.files[i], width: image.width, height: image.height,
          crop: augmentation.cropSize)
      }
      usable.append(i)
    }
    guard !usable.isEmpty else {
      throw TrainingDataError.emptyDomain(
        path: folder.path,
        reason: listing.files.isEmpty ? "no PNG or JPEG images" : "none of its \(listing.files.count) images decode")
    }
    self.name = name
    self.loader = loader
    self.usable = usable
    self.sizes = sizes
    skipped = failures.all
  }

  /// The path of file `index` relative to the domain's folder (what pairs images across folders).
  public func relativePath(_ index: Int) -> String {
    let root = loader.folder.root.path
    let file = loader.folder.files[index]
    let base = root.hasSuffix("/") ? root : root + "/"
    return file.hasPrefix(base) ? String(file.dropFirst(base.count)) : file
  }
}

extension TrainingDomain {
  /// Image `index` (default: the domain's first usable one) as training sees it without the randomness
  /// (centred crop, no flip): (1, channels, crop, crop), for the sample rows of reports.
  public func sample(_ augmentation: Augmentation, channels: Int, index: Int? = nil) -> Tensor {
    let crop = augmentation.cropSize
    let image = loader.load(index ?? usable[0]) ?? Image(width: crop, height: crop, channels: 3)
    return Tensor(image: augmentation.centred(image), channels: channels)
  }
}

/// Decode failures reported by a DomainLoader's callback (which may run on the prefetching thread).
final class FailureList: Sendable {
  private let list = Mutex<[String]>([])
  func append(_ message: String) { list.withLock { $0.append(message) } }
  var all: [String] { list.withLock { $0 } }
}

/// A method's training data: the two domains, and the batches of an epoch (TrainingData for the trainer).
public protocol TrainingData {
  var domainA: TrainingDomain { get }
  var domainB: TrainingDomain { get }
  /// Items one epoch visits (before batching).
  var itemsPerEpoch: Int { get }
  /// Files skipped with their reasons (undecodable, or without a partner for paired data).
  var skipped: [String] { get }
  /// The first item of each domain as training sees it without randomness, (1, channels, crop, crop).
  func samples(_ augmentation: Augmentation, channels: Int) -> (a: Tensor, b: Tensor)
  /// The batches of `epoch` (1-based), from iteration `startIteration` on (resume).
  func batches(
    augmentation: Augmentation, batchSize: Int, channels: Int, seed: UInt64, epoch: Int,
    startIteration: Int
  ) -> EpochBatches
}

/// The batches of one epoch: (N, C, crop, crop) tensors for A and B, prefetched on background threads, in the
/// orders a plan gives (indices into each domain's files), each domain augmented from its own seed.
public final class EpochBatches {
  public let count: Int
  private let loaderA: PrefetchingLoader, loaderB: PrefetchingLoader
  private let batchSize: Int, channels: Int

  /// The random generator of `epoch` (1-based): every plan draws its orders and seeds from it.
  static func generator(seed: UInt64, epoch: Int) -> SeededGenerator {
    SeededGenerator(seed: seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))
  }

  /// Iterations before `startIteration` are skipped (resume): they still consume their augmentation draws, so
  /// resumed batches are identical.
  init(
    a: TrainingDomain, orderA: [Int], seedA: UInt64, b: TrainingDomain, orderB: [Int], seedB: UInt64,
    augmentation: Augmentation, batchSize: Int, channels: Int, startIteration: Int
  ) {
    precondition(orderA.count == orderB.count, "EpochBatches: \(orderA.count) vs \(orderB.count) items")
    let items = orderA.count
    count = (items + batchSize - 1) / batchSize
    self.batchSize = batchSize
    self.channels = channels
    let skip = min(startIteration * batchSize, items)
    loaderA = PrefetchingLoader(
      loader: a.loader, order: orderA, augmentation: augmentation, generator: SeededGenerator(seed: seedA))
    loaderB = PrefetchingLoader(
      loader: b.loader, order: orderB, augmentation: augmentation, generator: SeededGenerator(seed: seedB))
    for _ in 0..<skip {
      _ = loaderA.next()
      _ = loaderB.next()
    }
  }

  /// The next batch, or nil at the end of the epoch. The last batch may be smaller (junyanz drop_last=False).
  public func next() -> (a: Tensor, b: Tensor)? {
    var imagesA: [Tensor] = []
    var imagesB: [Tensor] = []
    while imagesA.count < batchSize, let x = loaderA.next(), let y = loaderB.next() {
      imagesA.append(Tensor(image: x.image, channels: channels))
      imagesB.append(Tensor(image: y.image, channels: channels))
    }
    guard !imagesA.isEmpty else { return nil }
    return (Tensor(stacking: imagesA), Tensor(stacking: imagesB))
  }
}
