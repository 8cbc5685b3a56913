// Model files: ours (both CycleGAN generators under G_A./G_B. with metadata naming the two domains and the
// architecture) or a plain PyTorch generator state_dict in safetensors with junyanz's names (detected).

import Foundation

/// Which generator of a two-generator model: junyanz's --direction.
public enum Direction: String, Sendable, CaseIterable, Codable {
  /// G_A: domain A → domain B.
  case aToB = "AtoB"
  /// G_B: domain B → domain A.
  case bToA = "BtoA"
}

public enum ModelFileError: Error, CustomStringConvertible, Equatable {
  /// The file holds no generator we can build, or its tensors do not fit the architecture.
  case unusable(path: String, reason: String)
  /// A single-generator file cannot translate the other way.
  case noGenerator(path: String, direction: Direction)
  public var description: String {
    switch self {
    case let .unusable(path, reason): "\(path): \(reason)"
    case let .noGenerator(path, direction):
      "\(path): holds one generator (a plain state_dict); direction \(direction.rawValue) needs a two-generator model"
    }
  }
}

/// A loaded model file.
public struct TranslationModel {
  public static let format = "translate-cyclegan-model", version = "1"
  public let path: String
  public let architecture: GeneratorArchitecture
  /// Domain names (our files); nil for a plain state_dict.
  public let domainA: String?, domainB: String?
  public let metadata: [String: String]
  /// True for our two-generator files.
  public let hasBothDirections: Bool
  let tensors: [String: Tensor]

  public static func load(_ path: String) throws -> TranslationModel {
    let file = try SafeTensors.read(path, skippingUnsupportedDTypes: true)
    let shapes = Dictionary(uniqueKeysWithValues: file.names.compactMap { n in file.info(n).map { (n, $0.shape) } })
    let m = file.metadata
    if m["format"] == format {
      guard m["version"] == version else {
        throw ModelFileError.unusable(path: path, reason: "model format version '\(m["version"] ?? "none")' is not supported")
      }
      guard let json = m["architecture"],
            let architecture = try? JSONDecoder().decode(GeneratorArchitecture.self, from: Data(json.utf8))
      else { throw ModelFileError.unusable(path: path, reason: "architecture metadata missing or malformed") }
      // A CUT model holds G_A alone (one direction).
      return TranslationModel(path: path, architecture: architecture, domainA: m["domain_a"], domainB: m["domain_b"],
                              metadata: m, hasBothDirections: shapes.keys.contains { $0.hasPrefix("G_B.") }, tensors: file.tensors)
    }
    // A plain generator state_dict (junyanz names, optionally under G_A./G_B. as in our files).
    let prefixed = shapes.keys.contains { $0.hasPrefix("G_A.") } && shapes.keys.contains { $0.hasPrefix("G_B.") }
    do {
      let architecture = try GeneratorArchitecture.detect(shapes, prefix: prefixed ? "G_A" : "", source: path)
      return TranslationModel(path: path, architecture: architecture, domainA: nil, domainB: nil, metadata: m,
                              hasBothDirections: prefixed, tensors: file.tensors)
    } catch {
      throw ModelFileError.unusable(path: path, reason: error.description.replacingOccurrences(of: "\(path): ", with: ""))
    }
  }

  /// Builds the generator for `direction` and loads its weights (inference mode is the caller's choice).
  public func generator(_ direction: Direction = .aToB) throws -> any Layer {
    let prefix: String
    if hasBothDirections { prefix = direction.prefix } else {
      guard direction == .aToB else { throw ModelFileError.noGenerator(path: path, direction: direction) }
      prefix = metadata["format"] == Self.format ? Direction.aToB.prefix : ""
    }
    let net = architecture.build()
    do {
      try net.load(tensors, prefix: prefix, source: path)
    } catch {
      throw ModelFileError.unusable(path: path, reason: error.description.replacingOccurrences(of: "\(path): ", with: ""))
    }
    return net
  }

  /// Training metadata for `translate models`: image size, iterations, epochs, date (our files only).
  public var imageSize: Int? { metadata["image_size"].flatMap(Int.init) }
  public var iterations: Int? { metadata["iterations"].flatMap(Int.init) }
}

extension CycleGAN {
  /// Writes both generators and their description: the model a user translates with.
  public func saveModel(to path: String, domainA: String, domainB: String, imageSize: Int, progress: TrainingProgress) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let metadata = [
      "format": TranslationModel.format, "version": TranslationModel.version,
      "domain_a": domainA, "domain_b": domainB,
      "architecture": String(decoding: try encoder.encode(configuration.generator), as: UTF8.self),
      "image_size": "\(imageSize)", "iterations": "\(progress.step)", "epochs": "\(progress.epoch - (progress.iteration == 0 ? 1 : 0))",
      "training_seconds": String(format: "%.0f", progress.seconds),
      "date": ISO8601DateFormatter().string(from: Date()),
    ]
    try SafeTensors.write(generatorAtoB.stateDict(prefix: Direction.aToB.prefix) + generatorBtoA.stateDict(prefix: Direction.bToA.prefix),
                          metadata: metadata, to: path)
  }
}
