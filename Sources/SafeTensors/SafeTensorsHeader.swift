// Parsing and validating a safetensors header, check for check as huggingface/safetensors `read_metadata` and
// `Metadata::validate`: header ≤ 100 MB, UTF-8 starting with '{', strict JSON, no duplicate names, known dtypes,
// shape × dtype size == byte count, and tensors that tile the data buffer exactly when sorted by offset.

/// One validated tensor: where its bytes lie in the data buffer (the bytes after the header).
struct SafeTensorsEntry: Sendable {
  let name: String
  let dtype: SafeTensorsDType
  let shape: [Int]
  /// Number of elements (1 for a scalar).
  let count: Int
  /// Byte range in the data buffer.
  let begin: Int, end: Int
}

/// A validated header: the metadata and every tensor's dtype, shape and place, checked against the size of
/// the whole file (so the tensors are known to be readable) without needing the data itself.
public struct SafeTensorsHeader: Sendable {
  /// The reference's MAX_HEADER_SIZE.
  static let maxLength = 100_000_000

  /// The path the header was read from (or the label given to `SafeTensors.read(data:path:)`).
  public let path: String
  /// The header's `__metadata__` (empty when absent).
  public let metadata: [String: String]
  /// Size of the whole file in bytes.
  public let fileSize: Int
  /// Every tensor, sorted by offset (file order).
  let entries: [SafeTensorsEntry]
  /// Offset of the data buffer in the file: 8 + header length.
  let dataStart: Int

  /// Name → shape of every tensor, whatever its dtype.
  public var shapes: [String: [Int]] {
    Dictionary(entries.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
  }

  /// Every tensor's name, dtype, shape and byte range, in file order.
  public var tensors: [SafeTensorsFile.TensorInfo] {
    entries.map {
      SafeTensorsFile.TensorInfo(
        name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, dataOffsets: $0.begin..<$0.end)
    }
  }

  /// Validates the header at the start of `file`, which holds at least the 8-byte length and the header of a
  /// `fileSize`-byte file (the whole file when `fileSize` is nil). `path` only labels errors.
  init(file: UnsafeRawBufferPointer, fileSize: Int? = nil, path: String) throws(SafeTensorsError) {
    let size = fileSize ?? file.count
    guard size >= 8, file.count >= 8 else { throw .fileTooSmall(path: path, size: size) }
    let length = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
    guard length <= UInt64(SafeTensorsHeader.maxLength) else {
      throw .headerTooLarge(path: path, length: length, limit: SafeTensorsHeader.maxLength)
    }
    guard Int(length) <= size - 8, Int(length) <= file.count - 8 else {
      throw .headerOutOfBounds(path: path, length: length, fileSize: size)
    }
    dataStart = 8 + Int(length)
    let text = UnsafeRawBufferPointer(rebasing: file[8..<dataStart])
    guard String(validating: text.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil else {
      throw .invalidHeader(path: path, reason: "not valid UTF-8")
    }
    guard text.first == UInt8(ascii: "{") else { throw .headerNotObject(path: path) }

    let root: JSONValue
    do {
      var parser = JSONParser(text)
      root = try parser.parseDocument()
    } catch {
      if let key = error.duplicateKey, error.depth == 1 { throw .duplicateTensor(path: path, tensor: key) }
      throw .invalidHeader(path: path, reason: "byte \(error.offset) of the header: \(error.message)")
    }
    guard case .object(let members) = root else { throw .headerNotObject(path: path) }

    var metadata: [String: String] = [:]
    var entries: [SafeTensorsEntry] = []
    let bufferSize = size - dataStart
    for (name, value) in members {
      if name == "__metadata__" {
        metadata = try SafeTensorsHeader.parseMetadata(value, path: path)
      } else {
        entries.append(try SafeTensorsHeader.parseEntry(name, value, bufferSize: bufferSize, path: path))
      }
    }
    entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    try SafeTensorsHeader.checkCoverage(entries, bufferSize: bufferSize, path: path)
    self.path = path
    self.metadata = metadata
    self.fileSize = size
    self.entries = entries
  }

  /// `__metadata__`: an object of string values (or null, which the reference also accepts).
  private static func parseMetadata(_ value: JSONValue, path: String) throws(SafeTensorsError) -> [String: String] {
    if case .null = value { return [:] }
    guard case .object(let pairs) = value else {
      throw .invalidHeader(path: path, reason: "__metadata__ is not an object")
    }
    var metadata: [String: String] = [:]
    for (key, item) in pairs {
      guard case .string(let text) = item else {
        throw .invalidHeader(path: path, reason: "__metadata__ value for '\(key)' is not a string")
      }
      metadata[key] = text
    }
    return metadata
  }

  /// One `name: {"dtype", "shape", "data_offsets"}` entry, checked against the buffer size (overflow-safe).
  private static func parseEntry(
    _ name: String, _ value: JSONValue, bufferSize: Int, path: String
  ) throws(SafeTensorsError) -> SafeTensorsEntry {
    guard case .object(let fields) = value else {
      throw .invalidTensorEntry(path: path, tensor: name, reason: "entry is not an object")
    }
    func field(_ key: String) throws(SafeTensorsError) -> JSONValue {
      guard let found = fields.first(where: { $0.key == key }) else {
        throw .invalidTensorEntry(path: path, tensor: name, reason: "missing \"\(key)\"")
      }
      return found.value
    }
    guard case .string(let dtypeName) = try field("dtype") else {
      throw .invalidTensorEntry(path: path, tensor: name, reason: "\"dtype\" is not a string")
    }
    guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
      throw .unsupportedDType(path: path, tensor: name, dtype: dtypeName)
    }
    let shape = try parseShape(try field("shape"), name: name, path: path)
    guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
      let begin = offsets[0].nonNegativeInt, let end = offsets[1].nonNegativeInt
    else {
      throw .invalidTensorEntry(
        path: path, tensor: name, reason: "\"data_offsets\" is not two non-negative integers that fit in Int")
    }
    guard begin <= end else { throw .invalidOffsets(path: path, tensor: name, begin: begin, end: end) }
    guard end <= bufferSize else { throw .dataOutOfBounds(path: path, tensor: name, end: end, bufferSize: bufferSize) }

    let (count, bytes) = try sizes(shape, dtype, name: name, path: path)
    guard bytes == end - begin else {
      throw .byteCountMismatch(path: path, tensor: name, expected: bytes, actual: end - begin)
    }
    return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, count: count, begin: begin, end: end)
  }

  /// Element and byte counts of a tensor, with overflow checks (the reference's checked_mul chain).
  private static func sizes(
    _ shape: [Int], _ dtype: SafeTensorsDType, name: String, path: String
  ) throws(SafeTensorsError) -> (count: Int, bytes: Int) {
    var count = 1
    for d in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow else {
        throw .invalidShape(path: path, tensor: name, shape: "\(shape)", reason: "element count overflows")
      }
      count = product
    }
    let (bits, overflow) = count.multipliedReportingOverflow(by: dtype.bits)
    guard !overflow else {
      throw .invalidShape(path: path, tensor: name, shape: "\(shape)", reason: "byte count overflows")
    }
    guard bits % 8 == 0 else {
      throw .invalidShape(
        path: path, tensor: name, shape: "\(shape)", reason: "\(dtype.rawValue) elements do not fill whole bytes")
    }
    return (count, bits / 8)
  }

  private static func parseShape(_ value: JSONValue, name: String, path: String) throws(SafeTensorsError) -> [Int] {
    guard case .array(let dims) = value else {
      throw .invalidTensorEntry(path: path, tensor: name, reason: "\"shape\" is not an array")
    }
    var shape: [Int] = []
    for dim in dims {
      if let d = dim.nonNegativeInt {
        shape.append(d)
      } else if case .number(let text) = dim, text.hasPrefix("-") {
        throw .invalidShape(path: path, tensor: name, shape: "[\(text), …]", reason: "negative dimension \(text)")
      } else {
        throw .invalidTensorEntry(path: path, tensor: name, reason: "\"shape\" holds something other than integers")
      }
    }
    return shape
  }

  /// Sorted by offset, each tensor must start where the previous one ended, and the last must end with the buffer.
  private static func checkCoverage(
    _ entries: [SafeTensorsEntry], bufferSize: Int, path: String
  ) throws(SafeTensorsError) {
    var covered = 0
    var previous = ""
    for entry in entries {
      if entry.begin > covered {
        throw .hole(path: path, tensor: entry.name, begin: entry.begin, expectedBegin: covered)
      }
      if entry.begin < covered {
        throw .overlap(path: path, tensor: entry.name, previous: previous, begin: entry.begin, previousEnd: covered)
      }
      covered = entry.end
      previous = entry.name
    }
    guard covered == bufferSize else { throw .trailingBytes(path: path, covered: covered, bufferSize: bufferSize) }
  }
}
