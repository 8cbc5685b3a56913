// What can go wrong writing TensorBoard event files.

/// A failure to write an event file; training stops with it like with any other unwritable output.
public enum TensorBoardError: Error, Equatable, CustomStringConvertible {
  /// The folder or event file cannot be created or written.
  case unwritable(path: String, reason: String)
  /// A sample grid could not be encoded as PNG.
  case imageEncodingFailed(tag: String, reason: String)

  public var description: String {
    switch self {
    case .unwritable(let path, let reason): "\(path): cannot write TensorBoard events: \(reason)"
    case .imageEncodingFailed(let tag, let reason): "TensorBoard image '\(tag)': \(reason)"
    }
  }
}
