// Tensor: a contiguous, row-major Float32 array with a shape (NCHW for images) and value semantics.
// Storage is copy-on-write, 64-byte aligned so that C kernels may use aligned AVX loads.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reference-counted, 64-byte aligned buffer behind a `Tensor`.
@usableFromInline
final class TensorStorage: @unchecked Sendable {
  @usableFromInline let pointer: UnsafeMutablePointer<Float>
  @usableFromInline let count: Int
  /// Floats the block holds (≥ count when it came from StorageRecycler).
  let capacity: Int

  @usableFromInline init(count: Int) {
    precondition(count >= 0, "TensorStorage: negative count \(count)")
    guard let block = TensorStorage.allocate(count) else {
      preconditionFailure("TensorStorage: out of memory for \(count) floats")
    }
    (pointer, capacity) = (block.pointer, block.capacity)
    self.count = count
  }

  /// nil when the memory is not available (callers with a cheaper fallback: Scratch.withBufferIfAvailable).
  init?(availableCount count: Int) {
    guard count >= 0, let block = TensorStorage.allocate(count) else { return nil }
    (pointer, capacity) = (block.pointer, block.capacity)
    self.count = count
  }

  /// `max(count, 1)` floats, 64-byte aligned: from StorageRecycler from `minimumCapacity` on, else malloc's.
  private static func allocate(_ count: Int) -> StorageRecycler.Block? {
    if count >= StorageRecycler.minimumCapacity { return StorageRecycler.shared.allocate(count) }
    var raw: UnsafeMutableRawPointer?
    guard posix_memalign(&raw, 64, max(count, 1) * 4) == 0, let raw else { return nil }
    return StorageRecycler.Block(
      pointer: raw.bindMemory(to: Float.self, capacity: max(count, 1)), capacity: max(count, 1))
  }

  deinit {
    if capacity >= StorageRecycler.minimumCapacity {
      StorageRecycler.shared.release(StorageRecycler.Block(pointer: pointer, capacity: capacity))
    } else {
      free(pointer)
    }
  }
}

/// A dense Float32 tensor. Images are (N, C, H, W); weights follow PyTorch (conv OIHW, transposed conv IOHW).
public struct Tensor: @unchecked Sendable {
  public let shape: [Int]
  @usableFromInline var storage: TensorStorage

  /// Number of elements.
  @inlinable public var count: Int { storage.count }
  @inlinable public var rank: Int { shape.count }

  /// A tensor of zeros.
  public init(zeros shape: [Int]) {
    self.shape = shape
    storage = TensorStorage(count: Tensor.elementCount(shape))
    storage.pointer.initialize(repeating: 0, count: storage.count)
  }

  /// A tensor filled with `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.shape = shape
    storage = TensorStorage(count: Tensor.elementCount(shape))
    storage.pointer.initialize(repeating: value, count: storage.count)
  }

  /// A tensor holding `values` in row-major order.
  public init(shape: [Int], values: [Float]) {
    let n = Tensor.elementCount(shape)
    precondition(values.count == n, "Tensor: \(values.count) values for shape \(shape) (\(n) elements)")
    self.shape = shape
    storage = TensorStorage(count: n)
    values.withUnsafeBufferPointer { storage.pointer.initialize(from: $0.baseAddress!, count: n) }
  }

  /// A tensor whose elements are written by `fill` (which receives uninitialized memory of `count` floats).
  public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
    self.shape = shape
    storage = TensorStorage(count: Tensor.elementCount(shape))
    try fill(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
  }

  /// An uninitialized tensor, for kernels that overwrite every element.
  @usableFromInline init(uninitialized shape: [Int]) {
    self.shape = shape
    storage = TensorStorage(count: Tensor.elementCount(shape))
  }

  @usableFromInline init(shape: [Int], storage: TensorStorage) {
    self.shape = shape
    self.storage = storage
  }

  @inlinable static func elementCount(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape {
      precondition(d >= 0, "Tensor: negative dimension in \(shape)")
      n *= d
    }
    return n
  }

  /// The same elements under another shape with the same element count (shares storage).
  public func reshaped(_ newShape: [Int]) -> Tensor {
    precondition(Tensor.elementCount(newShape) == count, "reshaped: \(shape) → \(newShape)")
    return Tensor(shape: newShape, storage: storage)
  }

  /// Elements as an array (row-major).
  public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

  @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: storage.pointer, count: count))
  }

  @inlinable public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    if !isKnownUniquelyReferenced(&storage) {
      let copy = TensorStorage(count: storage.count)
      copy.pointer.initialize(from: storage.pointer, count: storage.count)
      storage = copy
    }
    return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
  }

  /// Read-only base pointer, valid while `self` is alive.
  @inlinable public var pointer: UnsafePointer<Float> { UnsafePointer(storage.pointer) }

  /// Element access by flat index (slow path for tests and small tensors).
  @inlinable public subscript(flat i: Int) -> Float {
    get { storage.pointer[i] }
    set { withUnsafeMutableBufferPointer { $0[i] = newValue } }
  }

  /// Element access by multi-index.
  public subscript(_ index: Int...) -> Float {
    get { storage.pointer[flatIndex(index)] }
    set {
      let i = flatIndex(index)
      withUnsafeMutableBufferPointer { $0[i] = newValue }
    }
  }

  func flatIndex(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "Tensor index \(index) for shape \(shape)")
    var flat = 0
    for (i, d) in zip(index, shape) {
      precondition(i >= 0 && i < d, "Tensor index \(index) out of range for shape \(shape)")
      flat = flat * d + i
    }
    return flat
  }
}

extension Tensor: Equatable {
  public static func == (a: Tensor, b: Tensor) -> Bool {
    a.shape == b.shape && (a.storage === b.storage || memcmp(a.storage.pointer, b.storage.pointer, a.count * 4) == 0)
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(\(shape), [\(head)\(count > 8 ? ", …" : "")])"
  }
}
