// What a model file is, read from its safetensors header alone (metadata and tensor shapes, never the
// weights): cheap enough to describe every file of a models folder for lookup and `translate models`.

import Foundation

/// A model file as described by its header.
public struct ModelDescription: Sendable, Equatable {
  public let path: String
  /// Domain names of our two-generator files; nil for a plain PyTorch generator state_dict.
  public let domainA: String?, domainB: String?
  public let architecture: GeneratorArchitecture
  /// True for files holding G_A and G_B (both directions).
  public let hasBothDirections: Bool
  /// File size in bytes.
  public let fileBytes: Int
  /// Training image size and iterations (our files only).
  public let imageSize: Int?, iterations: Int?

  /// Reads the header of the safetensors file at `path` and describes the generator(s) in it.
  /// - Throws: `ModelFileError.unusable` naming the file and the reason (not safetensors, not a generator).
  public static func read(_ path: String) throws(ModelFileError) -> ModelDescription {
    let (metadata, shapes, size) = try header(path)
    if metadata["format"] == TranslationModel.format {
      guard metadata["version"] == TranslationModel.version else {
        throw .unusable(path: path, reason: "model format version '\(metadata["version"] ?? "none")' is not supported")
      }
      guard let json = metadata["architecture"],
        let architecture = try? JSONDecoder().decode(GeneratorArchitecture.self, from: Data(json.utf8))
      else { throw .unusable(path: path, reason: "architecture metadata missing or malformed") }
      return ModelDescription(path: path, domainA: metadata["domain_a"], domainB: metadata["domain_b"],
                              architecture: architecture, hasBothDirections: shapes.keys.contains { $0.hasPrefix("G_B.") },
                              fileBytes: size,
                              imageSize: metadata["image_size"].flatMap(Int.init),
                              iterations: metadata["iterations"].flatMap(Int.init))
    }
    let prefixed = shapes.keys.contains { $0.hasPrefix("G_A.") } && shapes.keys.contains { $0.hasPrefix("G_B.") }
    do {
      let architecture = try GeneratorArchitecture.detect(shapes, prefix: prefixed ? "G_A" : "", source: path)
      return ModelDescription(path: path, domainA: nil, domainB: nil, architecture: architecture,
                              hasBothDirections: prefixed, fileBytes: size, imageSize: nil, iterations: nil)
    } catch {
      throw .unusable(path: path, reason: error.description.replacingOccurrences(of: "\(path): ", with: ""))
    }
  }

  /// "day ↔ night" or "(plain generator)".
  public var domains: String {
    guard let domainA, let domainB else { return "(plain generator)" }
    return "\(domainA) ↔ \(domainB)"
  }

  /// (metadata, name → shape, file size) from the 8-byte length and the JSON header.
  private static func header(_ path: String) throws(ModelFileError) -> ([String: String], [String: [Int]], Int) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .unusable(path: path, reason: "cannot open the file")
    }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()).map { Int($0) } ?? 0
    try? handle.seek(toOffset: 0)
    guard size >= 8, let lengthBytes = try? handle.read(upToCount: 8), lengthBytes.count == 8 else {
      throw .unusable(path: path, reason: "not a safetensors file (shorter than 8 bytes)")
    }
    let length = lengthBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    // The reference reader's header limit (100 MB).
    guard length <= 100_000_000, Int(length) <= size - 8,
      let json = try? handle.read(upToCount: Int(length)), json.count == Int(length),
      let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any]
    else { throw .unusable(path: path, reason: "not a safetensors file (no valid JSON header)") }
    var metadata: [String: String] = [:]
    var shapes: [String: [Int]] = [:]
    for (name, value) in object {
      if name == "__metadata__" {
        for (k, v) in value as? [String: Any] ?? [:] { if let s = v as? String { metadata[k] = s } }
      } else if let entry = value as? [String: Any], let shape = entry["shape"] as? [Int] {
        shapes[name] = shape
      }
    }
    return (metadata, shapes, size)
  }
}
