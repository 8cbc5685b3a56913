// Scratch buffers for kernels (im2col columns, transposes): a small pool of reusable 64-byte aligned blocks,
// so that steady-state training and inference do not page-fault fresh megabytes on every convolution.

import Synchronization

public enum Scratch {
  private static let pool = Mutex<[TensorStorage]>([])
  private static let maxPooled = 4

  /// Runs `body` with an uninitialized buffer of at least `count` floats, returned to the pool afterwards.
  public static func withBuffer<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let storage = take(count)
    defer { give(storage) }
    return try body(storage.pointer)
  }

  /// As `withBuffer`, but nil instead of a trap when `count` floats cannot be allocated (for kernels with a
  /// cheaper fallback, such as Winograd's im2col path).
  public static func withBufferIfAvailable<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows
    -> R?
  {
    guard let storage = pooled(count) ?? TensorStorage(availableCount: count) else { return nil }
    defer { give(storage) }
    return try body(storage.pointer)
  }

  private static func take(_ count: Int) -> TensorStorage {
    pooled(count) ?? TensorStorage(count: count)
  }

  /// The smallest pooled block that fits, removed from the pool. When none fits, the largest pooled block is
  /// dropped: the new block, larger, will serve its requests, and keeping both would add the old one to the peak
  /// (Winograd's workspaces of one and two images in a CycleGAN step: +17 MiB of a ResNet-9 step's peak at 128²).
  private static func pooled(_ count: Int) -> TensorStorage? {
    let (fitting, superseded) = pool.withLock { free -> (TensorStorage?, TensorStorage?) in
      if let i = free.indices.filter({ free[$0].count >= count }).min(by: { free[$0].count < free[$1].count }) {
        return (free.remove(at: i), nil)
      }
      return (nil, free.indices.max(by: { free[$0].count < free[$1].count }).map { free.remove(at: $0) })
    }
    _ = superseded  // freed here, outside the lock
    return fitting
  }

  private static func give(_ storage: TensorStorage) {
    pool.withLock { free in
      free.append(storage)
      if free.count > maxPooled {
        // Drop the smallest: large blocks are the expensive ones to fault in again.
        if let i = free.indices.min(by: { free[$0].count < free[$1].count }) { free.remove(at: i) }
      }
    }
  }
}
