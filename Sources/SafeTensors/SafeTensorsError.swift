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
    case .cannotRead(let path, _), .fileTooSmall(let path, _), .headerTooLarge(let path, _, _),
      .headerOutOfBounds(let path, _, _), .headerNotObject(let path), .invalidHeader(let path, _),
      .duplicateTensor(let path, _), .invalidTensorEntry(let path, _, _), .invalidShape(let path, _, _, _),
      .unsupportedDType(let path, _, _), .invalidOffsets(let path, _, _, _), .dataOutOfBounds(let path, _, _, _),
      .byteCountMismatch(let path, _, _, _), .hole(let path, _, _, _), .overlap(let path, _, _, _, _),
      .trailingBytes(let path, _, _), .tensorNotFound(let path, _), .notInt64(let path, _, _),
      .invalidWrite(let path, _, _), .cannotWrite(let path, _):
      return path
    }
  }

  /// What is wrong, without the path (for callers that wrap the error under their own file name).
  public var reason: String {
    switch self {
    case .cannotRead(_, let reason):
      return "cannot read: \(reason)"
    case .fileTooSmall(_, let size):
      return "\(size) bytes is too small for a safetensors file (8-byte header length missing)"
    case .headerTooLarge(_, let length, let limit):
      return "header length \(length) exceeds the limit of \(limit) bytes"
    case .headerOutOfBounds(_, let length, let fileSize):
      return "header length \(length) runs past the end of the \(fileSize)-byte file (truncated?)"
    case .headerNotObject:
      return "header does not start with '{'"
    case .invalidHeader(_, let reason):
      return "invalid JSON header: \(reason)"
    case .duplicateTensor(_, let tensor):
      return "tensor '\(tensor)' appears more than once in the header"
    case .invalidTensorEntry(_, let tensor, let reason):
      return "tensor '\(tensor)': \(reason)"
    case .invalidShape(_, let tensor, let shape, let reason):
      return "tensor '\(tensor)' has invalid shape \(shape): \(reason)"
    case .unsupportedDType(_, let tensor, let dtype):
      return "tensor '\(tensor)' has dtype '\(dtype)'; supported: F32, F16, BF16, I64"
    case .invalidOffsets(_, let tensor, let begin, let end):
      return "tensor '\(tensor)' has data_offsets [\(begin), \(end)] with end before begin"
    case .dataOutOfBounds(_, let tensor, let end, let bufferSize):
      return "tensor '\(tensor)' ends at byte \(end) of a \(bufferSize)-byte data buffer (truncated file?)"
    case .byteCountMismatch(_, let tensor, let expected, let actual):
      return "tensor '\(tensor)' needs \(expected) bytes for its shape and dtype but its offsets span \(actual)"
    case .hole(_, let tensor, let begin, let expectedBegin):
      return "bytes \(expectedBegin)..<\(begin) before tensor '\(tensor)' belong to no tensor"
    case .overlap(_, let tensor, let previous, let begin, let previousEnd):
      return "tensor '\(tensor)' starts at byte \(begin), inside tensor '\(previous)' (ends at \(previousEnd))"
    case .trailingBytes(_, let covered, let bufferSize):
      return "tensors cover \(covered) of the \(bufferSize) data bytes; the rest belongs to no tensor"
    case .tensorNotFound(_, let tensor):
      return "no tensor named '\(tensor)'"
    case .notInt64(_, let tensor, let dtype):
      return "tensor '\(tensor)' has dtype '\(dtype)', not I64"
    case .invalidWrite(_, let tensor, let reason):
      return "cannot write tensor '\(tensor)': \(reason)"
    case .cannotWrite(_, let reason):
      return "cannot write: \(reason)"
    }
  }
}
