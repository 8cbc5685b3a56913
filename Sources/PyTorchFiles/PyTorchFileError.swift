// PyTorchFileError: every way reading a PyTorch checkpoint (.pth) can fail, each naming the file and the reason.
// Hostile input (forbidden globals, out-of-range views, truncation) lands here; nothing in the reader traps.

/// A failure to read a PyTorch checkpoint. `path` is the file's path as the caller gave it.
public enum PyTorchFileError: Error, Equatable, Sendable {
  /// The file could not be opened, sized or read; `reason` is the system's message.
  case cannotRead(path: String, reason: String)
  /// Neither a zip archive (torch.save since 1.6) nor a legacy stream (magic number first).
  case notACheckpoint(path: String, reason: String)
  /// The zip archive is malformed, truncated, compressed or lacks a record torch.save writes.
  case malformedArchive(path: String, reason: String)
  /// The pickle is malformed or truncated at byte `offset` of its stream.
  case malformedPickle(path: String, offset: Int, reason: String)
  /// An opcode outside the restricted set (one that builds arbitrary objects, or one torch.save never writes).
  case forbiddenOpcode(path: String, offset: Int, opcode: UInt8)
  /// A global (class or function) outside the allow-list: refused by name, never looked up or called.
  case forbiddenGlobal(path: String, module: String, name: String)
  /// An allow-listed global used in a way torch.save never uses it (wrong arguments, calling a storage type).
  case badCall(path: String, callee: String, reason: String)
  /// The pickled object is not a state_dict (a dict of tensors).
  case notAStateDict(path: String, reason: String)
  /// A storage's bytes are missing, of the wrong size, or a tensor's view runs outside its storage.
  case badStorage(path: String, reason: String)
}

extension PyTorchFileError: CustomStringConvertible {
  public var description: String { "\(path): \(reason)" }

  /// The file's path as the caller gave it.
  public var path: String {
    switch self {
    case .cannotRead(let path, _), .notACheckpoint(let path, _), .malformedArchive(let path, _),
      .malformedPickle(let path, _, _), .forbiddenOpcode(let path, _, _), .forbiddenGlobal(let path, _, _),
      .badCall(let path, _, _), .notAStateDict(let path, _), .badStorage(let path, _):
      path
    }
  }

  /// What is wrong, without the path (for callers that wrap the error under their own file name).
  public var reason: String {
    switch self {
    case .cannotRead(_, let reason): "cannot read: \(reason)"
    case .notACheckpoint(_, let reason): "not a PyTorch checkpoint: \(reason)"
    case .malformedArchive(_, let reason): "malformed checkpoint archive: \(reason)"
    case .malformedPickle(_, let offset, let reason): "malformed pickle at byte \(offset): \(reason)"
    case .forbiddenOpcode(_, let offset, let opcode):
      "refused pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset) (not one torch.save of a state_dict "
        + "writes; loading never builds arbitrary objects)"
    case .forbiddenGlobal(_, let module, let name):
      "refused global '\(module).\(name)': only state_dict globals are allowed (loading never executes code)"
    case .badCall(_, let callee, let reason): "refused call of \(callee): \(reason)"
    case .notAStateDict(_, let reason): "not a state_dict: \(reason)"
    case .badStorage(_, let reason): "bad tensor storage: \(reason)"
    }
  }
}
