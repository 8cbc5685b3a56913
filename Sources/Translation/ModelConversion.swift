// `translate convert`: any model file we read (a .pth, a safetensors state_dict, our two-generator files) as a
// plain junyanz generator state_dict in safetensors — the names PyTorch's load_state_dict expects, no prefix.

import Foundation

extension TranslationModel {
  /// The tensors of one generator under junyanz's state_dict names, in file order. A two-generator file needs
  /// `direction` (its prefix G_A./G_B. is removed); a one-generator file takes nil or `.aToB` (a checkpoint's G. is
  /// removed too). A .pth keeps every
  /// tensor it holds (stale InstanceNorm statistics too: they are junyanz's, and loaders ignore them).
  /// - Throws: `ModelFileError.directionNeeded`, `.noGenerator` or `.oneDirection`.
  public func plainStateDict(_ direction: Direction?) throws(ModelFileError) -> [(name: String, tensor: Tensor)] {
    if hasBothDirections && direction == nil { throw .directionNeeded(path: path) }
    let prefix = try generatorPrefix(direction ?? .aToB)
    let scope = prefix.isEmpty ? "" : prefix + "."
    return tensors.names.compactMap { name in
      guard name.hasPrefix(scope), let tensor = tensors.tensor(name) else { return nil }
      return (String(name.dropFirst(scope.count)), tensor)
    }
  }

  /// Writes `plainStateDict(direction)` to `output` (safetensors, atomically) with metadata naming the source.
  public func convert(direction: Direction?, to output: String) throws {
    let tensors = try plainStateDict(direction)
    var metadata = [
      "format": "pt", "source": (path as NSString).lastPathComponent, "converted_by": "translate convert",
    ]
    if let direction, hasBothDirections { metadata["direction"] = direction.rawValue }
    try SafeTensors.write(tensors, metadata: metadata, to: output)
  }
}
