// The tensors of a model file, whichever format holds them: safetensors (ours, or a converted state_dict) or a
// PyTorch checkpoint read directly (PyTorchFiles). The one place a .pth is recognized and its DataParallel
// `module.` prefix dropped; everything above sees junyanz's names either way.

import Foundation
import PyTorchFiles

/// Names, shapes and (on request) values of a model file's tensors.
enum ModelTensors: Sendable {
  case safetensors(SafeTensorsFile)
  /// `names` maps our (prefix-free) name to the name in the checkpoint.
  case pytorch(PyTorchCheckpoint, names: [String: String])

  /// Reads the file at `path`: a torch.save checkpoint when its first bytes say so, safetensors otherwise.
  static func read(_ path: String) throws(ModelFileError) -> ModelTensors {
    guard isPyTorchCheckpoint(path) else {
      do { return .safetensors(try SafeTensors.read(path, skippingUnsupportedDTypes: true)) } catch {
        throw .unreadable(path: path, underlying: error)
      }
    }
    do { return ModelTensors(checkpoint: try PyTorchCheckpoint.read(path)) } catch {
      throw .unreadableCheckpoint(path: path, underlying: error)
    }
  }

  /// A checkpoint's tensors under junyanz's names: nn.DataParallel saves every key as `module.<name>`.
  init(checkpoint: PyTorchCheckpoint) {
    let prefix = "module."
    let stripped = !checkpoint.names.isEmpty && checkpoint.names.allSatisfy { $0.hasPrefix(prefix) }
    var names: [String: String] = [:]
    for name in checkpoint.names { names[stripped ? String(name.dropFirst(prefix.count)) : name] = name }
    self = .pytorch(checkpoint, names: names)
  }

  /// True when the file at `path` starts as torch.save's zip or legacy files do (a safetensors file never does).
  static func isPyTorchCheckpoint(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    let prefix = (try? handle.read(upToCount: 4)) ?? Data()
    return PyTorchCheckpoint.looksLikeCheckpoint(prefix: [UInt8](prefix))
  }

  var path: String {
    switch self {
    case .safetensors(let file): file.path
    case .pytorch(let checkpoint, _): checkpoint.path
    }
  }

  /// Readable tensor names (without a DataParallel prefix), in file order.
  var names: [String] {
    switch self {
    case .safetensors(let file): return file.names
    case .pytorch(let checkpoint, let names):
      let ours = Dictionary(uniqueKeysWithValues: names.map { ($1, $0) })
      return checkpoint.names.compactMap { ours[$0] }
    }
  }

  /// Name → shape of every readable tensor.
  var shapes: [String: [Int]] {
    switch self {
    case .safetensors(let file): file.header.shapes
    case .pytorch(let checkpoint, let names): names.compactMapValues { checkpoint.shape($0) }
    }
  }

  /// Metadata (safetensors only; a checkpoint has none).
  var metadata: [String: String] {
    if case .safetensors(let file) = self { return file.metadata }
    return [:]
  }

  /// Size of the file in bytes.
  var fileBytes: Int {
    switch self {
    case .safetensors(let file): file.header.fileSize
    case .pytorch(let checkpoint, _): checkpoint.fileSize
    }
  }

  /// The tensor `name` as Float32; nil when absent.
  func tensor(_ name: String) -> Tensor? {
    switch self {
    case .safetensors(let file): try? file.tensor(name)
    case .pytorch(let checkpoint, let names):
      names[name].flatMap { file in
        checkpoint.shape(file).flatMap { shape in checkpoint.values(file).map { Tensor(shape: shape, values: $0) } }
      }
    }
  }
}
