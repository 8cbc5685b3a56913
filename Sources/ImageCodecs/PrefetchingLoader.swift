// A background loader: one producer thread decodes and augments images in a given order ahead of the
// consumer, holding at most `capacity` ready images (a BoundedQueue), so decoding overlaps training.
import Foundation

/// A decoded, augmented image and the file it came from.
public struct LoadedImage: Sendable {
  public let index: Int
  public let path: String
  public let image: Image
}

/// Yields the images of `order` (indices into the folder's files) in that order, skipping files that fail
/// to decode. The augmentation draws from `generator`, owned by the producer thread: for a fixed seed and
/// order the output is the same on every run. Releasing the loader stops the producer.
public final class PrefetchingLoader: Sequence, IteratorProtocol, Sendable {
  private let queue: BoundedQueue<LoadedImage>

  public init(
    loader: DomainLoader, order: [Int], augmentation: Augmentation?,
    generator: some RandomNumberGenerator & Sendable, capacity: Int = 8
  ) {
    precondition(capacity > 0, "PrefetchingLoader: capacity must be positive")
    let queue = BoundedQueue<LoadedImage>(capacity: capacity)
    self.queue = queue
    let thread = Thread {
      var rng = generator
      for index in order {
        guard let image = loader.load(index) else { continue }
        let augmented = augmentation.map { $0.apply(to: image, using: &rng) } ?? image
        // False once the consumer is gone.
        guard queue.push(LoadedImage(index: index, path: loader.folder.files[index], image: augmented)) else { return }
      }
      queue.close()
    }
    thread.name = "PrefetchingLoader"
    thread.start()
  }

  deinit { queue.close() }

  /// The next image, waiting for the producer if needed; nil after the last one.
  public func next() -> LoadedImage? { queue.pop() }
}
