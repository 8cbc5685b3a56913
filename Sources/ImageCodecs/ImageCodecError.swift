// ImageCodecError: every recoverable failure of reading, decoding, encoding and writing images. Each case
// names the file and says why, so a dataset run can report it and move on.

/// A failure tied to one file (`path` is "<memory>" for in-memory data).
public enum ImageCodecError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read (`reason` is the system's, e.g. "No such file or directory").
  case readFailed(path: String, reason: String)
  /// The file could not be created, written or renamed into place.
  case writeFailed(path: String, reason: String)
  /// The bytes start with neither the PNG nor the JPEG signature.
  case unknownFormat(path: String)
  /// The data is malformed or corrupt (`reason` is libpng's or libjpeg's message).
  case decodeFailed(path: String, reason: String)
  /// Valid data in a variant we do not decode (12-bit or lossless JPEG) or cannot encode.
  case unsupported(path: String, reason: String)
  /// width × height exceeds `limit` pixels; refused before pixel memory was allocated.
  case tooLarge(path: String, width: Int, height: Int, limit: Int)
  /// The data ends early (see `DecodeOptions.allowTruncated`).
  case truncated(path: String, reason: String)
  /// Memory ran out while decoding or encoding.
  case outOfMemory(path: String)
  /// The encoder rejected the image.
  case encodeFailed(path: String, reason: String)
  /// Writing would replace one of the run's input files.
  case wouldOverwriteInput(path: String)
  /// The destination exists and the overwrite policy forbids replacing it.
  case destinationExists(path: String)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .readFailed(let path, _), .writeFailed(let path, _), .unknownFormat(let path),
      .decodeFailed(let path, _), .unsupported(let path, _), .tooLarge(let path, _, _, _),
      .truncated(let path, _), .outOfMemory(let path), .encodeFailed(let path, _),
      .wouldOverwriteInput(let path), .destinationExists(let path):
      return path
    }
  }

  /// The reason without the path.
  public var reason: String {
    switch self {
    case .readFailed(_, let reason): return "cannot read: \(reason)"
    case .writeFailed(_, let reason): return "cannot write: \(reason)"
    case .unknownFormat: return "not a PNG or JPEG file"
    case .decodeFailed(_, let reason): return "corrupt: \(reason)"
    case .unsupported(_, let reason): return "unsupported: \(reason)"
    case .tooLarge(_, let width, let height, let limit):
      return "too large: \(width)x\(height) is above the limit of \(limit) pixels"
    case .truncated(_, let reason): return "truncated: \(reason)"
    case .outOfMemory: return "out of memory"
    case .encodeFailed(_, let reason): return "cannot encode: \(reason)"
    case .wouldOverwriteInput: return "refusing to overwrite an input file"
    case .destinationExists: return "destination exists"
    }
  }

  public var description: String { "\(path): \(reason)" }
}
