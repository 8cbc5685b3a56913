// SafeTensorsFile: a validated safetensors file held in memory, converting its tensors to Float32 on request.
// The whole file is read once into one buffer (see SafeTensorsReader.swift): loading all tensors peaks at 2× the file.

import TensorCore

/// The bytes of a whole file, immutable once read. 64-byte aligned; bound to `UInt8`.
final class SafeTensorsBuffer: @unchecked Sendable {
  /// Start of the file's bytes (never null: empty buffers still own one byte).
  let base: UnsafeMutableRawPointer
  let count: Int

  /// Uninitialized memory for `count` bytes, bound to `UInt8`, for the caller to fill before reading `bytes`.
  init(count: Int) {
    base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
    base.bindMemory(to: UInt8.self, capacity: max(count, 1))
    self.count = count
  }

  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  deinit { base.deallocate() }
}

/// A safetensors file whose header has been fully validated: every tensor can be converted without further
/// checks. Value type, safe to share between threads.
public struct SafeTensorsFile: Sendable {
  /// Name, element type (as spelled in the file), shape and byte range of one stored tensor.
  public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: String
    public let shape: [Int]
    /// Byte range within the data buffer that follows the header.
    public let dataOffsets: Range<Int>
  }

  /// The path the file was read from (or the label given to `SafeTensors.read(data:path:)`).
  public let path: String
  /// The validated header: metadata and every tensor's dtype and shape, including skipped ones.
  public let header: SafeTensorsHeader
  /// The header's `__metadata__` (empty when absent).
  public var metadata: [String: String] { header.metadata }
  /// Names of the readable tensors, in file order of their offsets.
  public let names: [String]
  /// Tensors left out because their dtype is not readable (only when reading with `skippingUnsupportedDTypes`).
  public let skippedNames: [String]

  private let entries: [String: SafeTensorsEntry]
  private let buffer: SafeTensorsBuffer
  private let dataStart: Int

  /// Validates the file in `buffer`. Unreadable dtypes throw `unsupportedDType` unless `skipUnsupported`.
  init(buffer: SafeTensorsBuffer, path: String, skipUnsupported: Bool) throws(SafeTensorsError) {
    let header = try SafeTensorsHeader(file: buffer.bytes, path: path)
    var names: [String] = []
    var skipped: [String] = []
    var entries: [String: SafeTensorsEntry] = [:]
    for entry in header.entries {
      if entry.dtype.isReadable {
        names.append(entry.name)
        entries[entry.name] = entry
      } else if skipUnsupported {
        skipped.append(entry.name)
      } else {
        throw .unsupportedDType(path: path, tensor: entry.name, dtype: entry.dtype.rawValue)
      }
    }
    self.path = path
    self.header = header
    self.names = names
    self.skippedNames = skipped
    self.entries = entries
    self.buffer = buffer
    self.dataStart = header.dataStart
  }

  /// The tensor called `name` as Float32: F32 as stored, F16 and BF16 converted exactly, I64 rounded to the
  /// nearest Float (exact up to 2^24; use `int64s(_:)` for the exact integers). Scalars have shape `[]`.
  /// - Throws: `SafeTensorsError.tensorNotFound` when the file holds no readable tensor of that name.
  public func tensor(_ name: String) throws -> Tensor {
    guard let entry = entries[name] else { throw SafeTensorsError.tensorNotFound(path: path, tensor: name) }
    return convert(entry)
  }

  /// Every readable tensor, converted as by `tensor(_:)`.
  public var tensors: [String: Tensor] {
    var all: [String: Tensor] = [:]
    all.reserveCapacity(entries.count)
    for (name, entry) in entries { all[name] = convert(entry) }
    return all
  }

  /// Element type, shape and offsets of a tensor, without converting it (nil when absent or skipped).
  public func info(_ name: String) -> TensorInfo? {
    entries[name].map {
      TensorInfo(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, dataOffsets: $0.begin..<$0.end)
    }
  }

  /// The exact values of an I64 tensor (such as BatchNorm's `num_batches_tracked`), row-major.
  /// - Throws: `tensorNotFound`, or `notInt64` when the tensor has another dtype.
  public func int64s(_ name: String) throws -> [Int64] {
    guard let entry = entries[name] else { throw SafeTensorsError.tensorNotFound(path: path, tensor: name) }
    guard entry.dtype == .i64 else {
      throw SafeTensorsError.notInt64(path: path, tensor: name, dtype: entry.dtype.rawValue)
    }
    let base = bytesStart(entry)
    return (0..<entry.count).map { Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
  }

  /// Validated by the header: dataStart + entry.end ≤ buffer.count.
  private func bytesStart(_ entry: SafeTensorsEntry) -> UnsafeRawPointer {
    UnsafeRawPointer(buffer.base + dataStart + entry.begin)
  }

  private func convert(_ entry: SafeTensorsEntry) -> Tensor {
    let source = bytesStart(entry)
    return Tensor(shape: entry.shape) { destination in
      if let out = destination.baseAddress {
        convertToFloat(entry.dtype, from: source, count: entry.count, into: out)
      }
    }
  }
}
