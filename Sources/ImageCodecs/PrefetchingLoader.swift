// A background loader: one producer thread decodes and augments images in a given order ahead of the
// consumer, holding at most `capacity` ready images (a bounded queue), so decoding overlaps training.
import Foundation
import Synchronization

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
  private let channel: Channel

  public init(loader: DomainLoader, order: [Int], augmentation: Augmentation?,
              generator: some RandomNumberGenerator & Sendable, capacity: Int = 8) {
    precondition(capacity > 0, "PrefetchingLoader: capacity must be positive")
    let channel = Channel(capacity: capacity)
    self.channel = channel
    let thread = Thread {
      var rng = generator
      for index in order {
        guard channel.waitForSlot() else { return }
        guard let image = loader.load(index) else {
          channel.releaseSlot()
          continue
        }
        let augmented = augmentation.map { $0.apply(to: image, using: &rng) } ?? image
        channel.send(LoadedImage(index: index, path: loader.folder.files[index], image: augmented))
      }
      channel.finish()
    }
    thread.name = "PrefetchingLoader"
    thread.start()
  }

  deinit { channel.cancel() }

  /// The next image, waiting for the producer if needed; nil after the last one.
  public func next() -> LoadedImage? { channel.receive() }

  /// A bounded single-producer queue: `slots` counts free places, `items` counts ready ones (+1 at the end).
  private final class Channel: Sendable {
    private struct State {
      var ready: [LoadedImage] = []
      var finished = false
      var cancelled = false
    }

    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let items = DispatchSemaphore(value: 0)

    init(capacity: Int) {
      // Start at 0 and signal: libdispatch traps when a semaphore is freed below its initial value.
      slots = DispatchSemaphore(value: 0)
      for _ in 0..<capacity { slots.signal() }
    }

    /// Blocks until a place is free; false when the consumer is gone.
    func waitForSlot() -> Bool {
      slots.wait()
      return !state.withLock { $0.cancelled }
    }

    func releaseSlot() { slots.signal() }

    func send(_ item: LoadedImage) {
      state.withLock { $0.ready.append(item) }
      items.signal()
    }

    func finish() {
      state.withLock { $0.finished = true }
      items.signal()
    }

    func cancel() {
      state.withLock { $0.cancelled = true }
      slots.signal()
    }

    func receive() -> LoadedImage? {
      items.wait()
      let item: LoadedImage? = state.withLock { $0.ready.isEmpty ? nil : $0.ready.removeFirst() }
      if item == nil {
        items.signal()  // the end stays visible to later calls
      } else {
        slots.signal()
      }
      return item
    }
  }
}
