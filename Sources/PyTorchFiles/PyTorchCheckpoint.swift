// Reading a PyTorch state_dict saved by torch.save, without Python: the zip format (torch ≥ 1.6:
// `<name>/data.pkl`, `<name>/data/<key>` storage records, `<name>/byteorder`) and the legacy stream (magic
// number, protocol 1001, sys_info, the state_dict pickle, the storage keys, then each storage as an int64
// element count and its raw bytes) — torch/serialization.py's `_load` and `_legacy_load`. Every tensor is checked
// against its storage when the file is read, so converting one afterwards cannot fail.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A state_dict read from a .pth file: tensor names in file order, their shapes, and their values on request.
public struct PyTorchCheckpoint: Sendable {
  /// Which of torch.save's two layouts the file has.
  public enum Layout: String, Sendable { case zip, legacy }

  public let path: String
  public let layout: Layout
  /// Size of the whole file in bytes.
  public let fileSize: Int
  /// Tensor names in the state_dict's order.
  public let names: [String]
  /// Entries that are not tensors (integers, strings, nested dicts), left out of `names`.
  public let skippedNames: [String]

  private let tensors: [String: TensorReference]
  /// Storage key → byte range of its elements in `bytes`.
  private let storageBytes: [String: Range<Int>]
  private let bytes: [UInt8]
  private let bigEndian: Bool

  /// torch/serialization.py MAGIC_NUMBER (0x1950a86a20f9469cfc6c) as LONG1 writes it: little-endian bytes.
  static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
  static let legacyProtocol = 1001

  /// Reads and validates the checkpoint at `path`.
  public static func read(_ path: String) throws(PyTorchFileError) -> PyTorchCheckpoint {
    try read(bytes: try readWholeFile(path), path: path)
  }

  /// Validates a checkpoint held in memory; `path` only labels errors (tests, fuzzing).
  public static func read(bytes: [UInt8], path: String) throws(PyTorchFileError) -> PyTorchCheckpoint {
    if bytes.starts(with: [0x50, 0x4B]) { return try readZip(bytes, path: path) }
    if bytes.first == PickleOpcode.proto.rawValue { return try readLegacy(bytes, path: path) }
    throw .notACheckpoint(path: path, reason: "it starts with neither a zip header nor a pickle protocol opcode")
  }

  /// True when `prefix` (a file's first bytes) starts as a torch.save file does: a zip local header, or a
  /// protocol-2+ pickle whose first value is the legacy magic number's LONG1. A safetensors file never does.
  public static func looksLikeCheckpoint(prefix: [UInt8]) -> Bool {
    prefix.starts(with: [0x50, 0x4B, 0x03, 0x04])
      || (prefix.count >= 4 && prefix[0] == 0x80 && (2...5).contains(prefix[1]) && prefix[2] == 0x8A && prefix[3] == 10)
  }

  public var shapes: [String: [Int]] { tensors.mapValues(\.shape) }

  /// The shape of tensor `name`; nil when the file holds no such tensor.
  public func shape(_ name: String) -> [Int]? { tensors[name]?.shape }

  /// The element type the file stores tensor `name` in.
  public func dtype(_ name: String) -> StorageDType? { tensors[name]?.storage.dtype }

  /// The values of tensor `name` in row-major order, converted to Float (F16/BF16 exactly, I64 rounded);
  /// strided and offset views are gathered. Nil when the file holds no such tensor.
  public func values(_ name: String) -> [Float]? {
    guard let tensor = tensors[name], let range = storageBytes[tensor.storage.key] else { return nil }
    return bytes.withUnsafeBytes { raw in
      gather(tensor, from: UnsafeRawBufferPointer(rebasing: raw[range]))
    }
  }

  private func gather(_ t: TensorReference, from storage: UnsafeRawBufferPointer) -> [Float] {
    let count = t.shape.reduce(1, *)  // checked at read: at most the storage's element count
    guard count > 0 else { return [] }
    let size = t.storage.dtype.size
    let base = t.storage.window.lowerBound + t.offset
    var index = [Int](repeating: 0, count: t.shape.count)
    var element = base
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      for i in 0..<count {
        out[i] = t.storage.dtype.float(storage, at: element * size, bigEndian: bigEndian)
        // Advance the multi-index (last dimension fastest) and the element it points at.
        var d = t.shape.count - 1
        while d >= 0 {
          index[d] += 1
          element += t.strides[d]
          if index[d] < t.shape[d] { break }
          element -= t.strides[d] * t.shape[d]
          index[d] = 0
          d -= 1
        }
      }
      initialized = count
    }
  }

  private init(
    path: String, layout: Layout, bytes: [UInt8], object: PickleValue, storages: [String: Range<Int>],
    bigEndian: Bool
  ) throws(PyTorchFileError) {
    guard case .dict(let dict) = object else {
      throw .notAStateDict(path: path, reason: "the pickled object is a \(object.kind), not a dict of tensors")
    }
    var names: [String] = []
    var skipped: [String] = []
    var tensors: [String: TensorReference] = [:]
    for (key, value) in zip(dict.keys, dict.values) {
      let name: String
      switch key {
      case .string(let s): name = s
      case .int(let n): name = String(n)
      }
      guard case .tensor(let tensor) = value else {
        skipped.append(name)
        continue
      }
      guard storages[tensor.storage.key] != nil else {
        throw .badStorage(
          path: path, reason: "tensor '\(name)' uses storage '\(tensor.storage.key)', which has no data")
      }
      names.append(name)
      tensors[name] = tensor
    }
    self.path = path
    self.layout = layout
    self.fileSize = bytes.count
    self.names = names
    self.skippedNames = skipped
    self.tensors = tensors
    self.storageBytes = storages
    self.bytes = bytes
    self.bigEndian = bigEndian
  }
}

extension PyTorchCheckpoint {
  /// The zip layout: one top-level folder holding data.pkl, data/<key> per storage, and byteorder.
  private static func readZip(_ bytes: [UInt8], path: String) throws(PyTorchFileError) -> PyTorchCheckpoint {
    let archive = try ZipArchive(bytes, path: path)
    guard
      let pickleName = archive.names.first(where: {
        $0.hasSuffix("/data.pkl") && $0.split(separator: "/", omittingEmptySubsequences: false).count == 2
      }), let pickleRange = archive.entries[pickleName]
    else { throw .malformedArchive(path: path, reason: "no '<name>/data.pkl' record") }
    let folder = String(pickleName.dropLast("data.pkl".count))
    var bigEndian = false
    if let order = archive.entries[folder + "byteorder"] {
      switch String(decoding: bytes[order], as: UTF8.self) {
      case "little": bigEndian = false
      case "big": bigEndian = true
      case let other: throw .malformedArchive(path: path, reason: "byteorder record says '\(other.prefix(16))'")
      }
    }
    var unpickler = Unpickler(bytes: bytes, range: pickleRange, form: .zip, path: path)
    let object = try unpickler.load()
    var storages: [String: Range<Int>] = [:]
    for (key, storage) in unpickler.storages {
      guard let record = archive.entries[folder + "data/" + key] else {
        throw .badStorage(path: path, reason: "storage '\(key)' has no record '\(folder)data/\(key)'")
      }
      let needed = storage.count * storage.dtype.size  // overflow-checked by the unpickler
      guard record.count == needed else {
        throw .badStorage(
          path: path,
          reason: "storage '\(key)' holds \(record.count) bytes; \(storage.count) \(storage.dtype.rawValue) "
            + "elements need \(needed)")
      }
      storages[key] = record
    }
    return try PyTorchCheckpoint(
      path: path, layout: .zip, bytes: bytes, object: object, storages: storages, bigEndian: bigEndian)
  }

  /// The legacy stream: five pickles, then the storages in the order of the fourth (the keys).
  private static func readLegacy(_ bytes: [UInt8], path: String) throws(PyTorchFileError) -> PyTorchCheckpoint {
    var unpickler = Unpickler(bytes: bytes, range: 0..<bytes.count, form: .legacy, path: path)
    guard case .bigInt(let magic) = try unpickler.load(), magic == legacyMagic else {
      throw .notACheckpoint(path: path, reason: "a pickle that does not start with torch's magic number")
    }
    guard case .int(legacyProtocol) = try unpickler.load() else {
      throw .notACheckpoint(path: path, reason: "legacy protocol version is not \(legacyProtocol)")
    }
    guard case .dict(let info) = try unpickler.load() else {
      throw .notACheckpoint(path: path, reason: "no sys_info dict after the protocol version")
    }
    if let i = info.keys.firstIndex(of: .string("little_endian")), case .bool(false) = info.values[i] {
      throw .notACheckpoint(path: path, reason: "a big-endian legacy file (not supported)")
    }
    let object = try unpickler.load()
    guard case .list(let keyValues) = try unpickler.load() else {
      throw .badStorage(path: path, reason: "no list of storage keys after the object")
    }
    let reader = ByteReader(bytes: bytes, path: path)
    var storages: [String: Range<Int>] = [:]
    var at = unpickler.position
    for value in keyValues {
      guard let key = value.text, let storage = unpickler.storages[key], storages[key] == nil else {
        throw .badStorage(path: path, reason: "the storage key list names an unknown or repeated storage")
      }
      let needed = storage.count * storage.dtype.size
      guard let count = reader.unsigned(at, 8), count == UInt64(storage.count),
        let data = reader.slice(at + 8, needed)
      else {
        throw .badStorage(
          path: path,
          reason: "storage '\(key)' at byte \(at): \(storage.count) elements expected "
            + "(missing, a different count, or truncated)")
      }
      storages[key] = data.indices
      at += 8 + needed
    }
    return try PyTorchCheckpoint(
      path: path, layout: .legacy, bytes: bytes, object: object, storages: storages, bigEndian: false)
  }

  /// The whole file, read with POSIX calls; anything but a regular file is refused.
  static func readWholeFile(_ path: String) throws(PyTorchFileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, let size = Int(exactly: status.st_size) else {
      throw .cannotRead(path: path, reason: "not a regular file")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var filled = 0
    while filled < size {
      let n = bytes.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return posixRead(fd, base + filled, size - filled)
      }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw .cannotRead(path: path, reason: n < 0 ? String(cString: strerror(errno)) : "file shrank")
      }
      filled += n
    }
    return bytes
  }
}

/// POSIX `read`, named apart from `PyTorchCheckpoint.read`.
@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
