// SafeTensorsError: every way reading or writing a safetensors file can fail, each naming the file, the tensor
// (when one is involved) and the problem. The checks mirror huggingface/safetensors (Rust) `read_metadata`.

/// A failure to read or write a safetensors file. `path` is the file's path as the caller gave it (for
/// `SafeTensors.read(data:path:)`, the label the caller chose).
public enum SafeTensorsError: Error, Equatable, Sendable {
  /// The file could not be opened, sized or read; `reason` is the system's message (errno).
  case cannotRead(path: String, reason: String)
  /// Fewer than the 8 bytes of the little-endian header length.
  case fileTooSmall(path: String, size: Int)
  /// The header length exceeds the 100 MB limit of the reference implementation.
  case headerTooLarge(path: String, length: UInt64, limit: Int)
  /// The header length points past the end of the file (a truncated file or a corrupt length).
  case headerOutOfBounds(path: String, length: UInt64, fileSize: Int)
  /// The header does not start with `{`.
  case headerNotObject(path: String)
  /// The header is not valid UTF-8 JSON of the expected form (`reason` says where and why).
  case invalidHeader(path: String, reason: String)
  /// A tensor name occurs twice in the header.
  case duplicateTensor(path: String, tensor: String)
  /// A tensor's entry is malformed: a missing or mistyped `dtype`, `shape` or `data_offsets`.
  case invalidTensorEntry(path: String, tensor: String, reason: String)
  /// A dimension is negative, or the element count or byte count overflows.
  case invalidShape(path: String, tensor: String, shape: String, reason: String)
  /// A dtype this reader cannot convert to Float32 (or one the format does not define).
  case unsupportedDType(path: String, tensor: String, dtype: String)
  /// `data_offsets` has its end before its begin.
  case invalidOffsets(path: String, tensor: String, begin: Int, end: Int)
  /// A tensor's bytes end past the data buffer (the file is truncated or the offsets are wrong).
  case dataOutOfBounds(path: String, tensor: String, end: Int, bufferSize: Int)
  /// `end - begin` differs from shape × dtype size.
  case byteCountMismatch(path: String, tensor: String, expected: Int, actual: Int)
  /// Bytes no tensor covers, just before `tensor` (sorted by offset).
  case hole(path: String, tensor: String, begin: Int, expectedBegin: Int)
  /// `tensor` starts inside the bytes of `previous` (sorted by offset).
  case overlap(path: String, tensor: String, previous: String, begin: Int, previousEnd: Int)
  /// The tensors end before the data buffer does: trailing bytes that belong to no tensor.
  case trailingBytes(path: String, covered: Int, bufferSize: Int)
  /// `tensor(_:)` was asked for a name the file does not hold.
  case tensorNotFound(path: String, tensor: String)
  /// `int64s(_:)` was asked for a tensor whose dtype is not I64.
  case notInt64(path: String, tensor: String, dtype: String)
  /// Writing refused the input (duplicate or reserved name) before touching the disk.
  case invalidWrite(path: String, tensor: String, reason: String)
  /// Creating, writing, syncing or renaming the file failed; `reason` is the system's message.
  case cannotWrite(path: String, reason: String)
}

extension SafeTensorsError: CustomStringConvertible {
  public var description: String { "\(path): \(reason)" }

  /// The file's path as the caller gave it.
  public var path: String {
    switch self {
    case let .cannotRead(path, _), let .fileTooSmall(path, _), let .headerTooLarge(path, _, _),
      let .headerOutOfBounds(path, _, _), let .headerNotObject(path), let .invalidHeader(path, _),
      let .duplicateTensor(path, _), let .invalidTensorEntry(path, _, _), let .invalidShape(path, _, _, _),
      let .unsupportedDType(path, _, _), let .invalidOffsets(path, _, _, _), let .dataOutOfBounds(path, _, _, _),
      let .byteCountMismatch(path, _, _, _), let .hole(path, _, _, _), let .overlap(path, _, _, _, _),
      let .trailingBytes(path, _, _), let .tensorNotFound(path, _), let .notInt64(path, _, _),
      let .invalidWrite(path, _, _), let .cannotWrite(path, _):
      return path
    }
  }

  /// What is wrong, without the path (for callers that wrap the error under their own file name).
  public var reason: String {
    switch self {
    case let .cannotRead(_, reason):
      return "cannot read: \(reason)"
    case let .fileTooSmall(_, size):
      return "\(size) bytes is too small for a safetensors file (8-byte header length missing)"
    case let .headerTooLarge(_, length, limit):
      return "header length \(length) exceeds the limit of \(limit) bytes"
    case let .headerOutOfBounds(_, length, fileSize):
      return "header length \(length) runs past the end of the \(fileSize)-byte file (truncated?)"
    case .headerNotObject:
      return "header does not start with '{'"
    case let .invalidHeader(_, reason):
      return "invalid JSON header: \(reason)"
    case let .duplicateTensor(_, tensor):
      return "tensor '\(tensor)' appears more than once in the header"
    case let .invalidTensorEntry(_, tensor, reason):
      return "tensor '\(tensor)': \(reason)"
    case let .invalidShape(_, tensor, shape, reason):
      return "tensor '\(tensor)' has invalid shape \(shape): \(reason)"
    case let .unsupportedDType(_, tensor, dtype):
      return "tensor '\(tensor)' has dtype '\(dtype)'; supported: F32, F16, BF16, I64"
    case let .invalidOffsets(_, tensor, begin, end):
      return "tensor '\(tensor)' has data_offsets [\(begin), \(end)] with end before begin"
    case let .dataOutOfBounds(_, tensor, end, bufferSize):
      return "tensor '\(tensor)' ends at byte \(end) of a \(bufferSize)-byte data buffer (truncated file?)"
    case let .byteCountMismatch(_, tensor, expected, actual):
      return "tensor '\(tensor)' needs \(expected) bytes for its shape and dtype but its offsets span \(actual)"
    case let .hole(_, tensor, begin, expectedBegin):
      return "bytes \(expectedBegin)..<\(begin) before tensor '\(tensor)' belong to no tensor"
    case let .overlap(_, tensor, previous, begin, previousEnd):
      return "tensor '\(tensor)' starts at byte \(begin), inside tensor '\(previous)' (ends at \(previousEnd))"
    case let .trailingBytes(_, covered, bufferSize):
      return "tensors cover \(covered) of the \(bufferSize) data bytes; the rest belongs to no tensor"
    case let .tensorNotFound(_, tensor):
      return "no tensor named '\(tensor)'"
    case let .notInt64(_, tensor, dtype):
      return "tensor '\(tensor)' has dtype '\(dtype)', not I64"
    case let .invalidWrite(_, tensor, reason):
      return "cannot write tensor '\(tensor)': \(reason)"
    case let .cannotWrite(_, reason):
      return "cannot write: \(reason)"
    }
  }
}
