// Model files: ours (both CycleGAN generators under G_A./G_B., or pix2pix's one under G_A. with directions
// "AtoB", and metadata naming the two domains and the architecture), a plain PyTorch generator state_dict with
// junyanz's names (detected; in safetensors or a .pth read directly), or a fast style network; read once,
// described from the header (ModelDescription.swift), the network built from the tensors.

import Foundation
import PyTorchFiles

/// Which generator of a two-generator model: junyanz's --direction.
public enum Direction: String, Sendable, CaseIterable, Codable {
  /// G_A: domain A → domain B.
  case aToB = "AtoB"
  /// G_B: domain B → domain A.
  case bToA = "BtoA"
}

public enum ModelFileError: Error, CustomStringConvertible, Equatable {
  /// The file cannot be read as safetensors (missing, not a regular file, truncated, malformed header).
  case unreadable(path: String, underlying: SafeTensorsError)
  /// The file starts as a PyTorch checkpoint but cannot be read as one (malformed, truncated, or refused:
  /// a global or opcode outside the state_dict allow-list).
  case unreadableCheckpoint(path: String, underlying: PyTorchFileError)
  /// A readable safetensors file that holds no network we can build; `reason` says why (format, version,
  /// metadata, tensor names or sizes).
  case unusable(path: String, reason: String)
  /// The tensors do not fit the network the header describes (missing, unexpected or wrongly shaped).
  case weightsDoNotFit(path: String, underlying: StateDictError)
  /// A single-network file cannot translate the other way.
  case noGenerator(path: String, direction: Direction)
  /// One of our one-direction models (pix2pix) asked for the way back: it translates only domainA → domainB.
  case oneDirection(path: String, domainA: String, domainB: String)
  /// A two-generator file asked for "the" generator (convert, export): the direction must be given.
  case directionNeeded(path: String)

  public var path: String {
    switch self {
    case .unreadable(let path, _), .unreadableCheckpoint(let path, _), .unusable(let path, _),
      .weightsDoNotFit(let path, _), .noGenerator(let path, _),
      .oneDirection(let path, _, _), .directionNeeded(let path):
      path
    }
  }

  /// What is wrong, without the path.
  public var reason: String {
    switch self {
    case .unreadable(_, let underlying): underlying.reason
    case .unreadableCheckpoint(_, let underlying): underlying.reason
    case .unusable(_, let reason): reason
    case .weightsDoNotFit(_, let underlying): underlying.reason
    case .noGenerator(_, let direction):
      "holds one network; direction \(direction.rawValue) needs a two-generator model"
    case .oneDirection(_, let a, let b):
      "translates only \(a) → \(b) (a one-direction model, such as pix2pix); it cannot translate \(b) → \(a)"
    case .directionNeeded:
      "holds two generators: give --direction \(Direction.aToB.rawValue) or \(Direction.bToA.rawValue)"
    }
  }

  public var description: String { "\(path): \(reason)" }
}

/// A model file read once: its description (from the header) and its tensors, converted on demand.
public struct TranslationModel {
  public static let format = "translate-cyclegan-model", version = "1"
  public let modelDescription: ModelDescription
  let tensors: ModelTensors

  /// Reads the whole file once (safetensors, or a PyTorch .pth checkpoint) and describes it.
  /// - Throws: `ModelFileError.unreadable`, `.unreadableCheckpoint` or `.unusable`, naming the file and the reason.
  public static func load(_ path: String) throws(ModelFileError) -> TranslationModel {
    let tensors = try ModelTensors.read(path)
    return TranslationModel(description: try ModelDescription(tensors), tensors: tensors)
  }

  /// The model in a safetensors file already read (the header describes it; no second read).
  public init(file: SafeTensorsFile) throws(ModelFileError) {
    modelDescription = try ModelDescription(header: file.header)
    tensors = .safetensors(file)
  }

  /// The plain generator state_dict of a PyTorch checkpoint already read.
  public init(checkpoint: PyTorchCheckpoint) throws(ModelFileError) {
    tensors = ModelTensors(checkpoint: checkpoint)
    modelDescription = try ModelDescription(tensors)
  }

  private init(description: ModelDescription, tensors: ModelTensors) {
    self.modelDescription = description
    self.tensors = tensors
  }

  public var path: String { modelDescription.path }
  public var architecture: GeneratorArchitecture { modelDescription.architecture }
  /// Domain names (our CycleGAN files); nil otherwise.
  public var domainA: String? { modelDescription.domainA }
  public var domainB: String? { modelDescription.domainB }
  /// True for files holding G_A and G_B.
  public var hasBothDirections: Bool { modelDescription.hasBothDirections }
  public var metadata: [String: String] { tensors.metadata }
  /// Every tensor name the file holds (a .pth's without its DataParallel `module.` prefix), in file order.
  public var tensorNames: [String] { tensors.names }
  /// The tensor `name` as Float32; nil when absent.
  public func tensor(_ name: String) -> Tensor? { tensors.tensor(name) }
  /// Training image size and iterations (our CycleGAN files only).
  public var imageSize: Int? { modelDescription.imageSize }
  public var iterations: Int? { modelDescription.iterations }

  /// Builds the network for `direction` and loads its weights (inference mode is the caller's choice): a
  /// generator, or a style network (one direction, inputs multiples of 4).
  public func generator(_ direction: Direction = .aToB) throws(ModelFileError) -> any Layer {
    if case .style = modelDescription.kind {
      guard direction == .aToB else { throw .noGenerator(path: path, direction: direction) }
      return try styleNetwork()
    }
    let prefix = try generatorPrefix(direction)
    let net = architecture.build()
    try load(net, prefix: prefix)
    return net
  }

  /// Where `direction`'s generator sits in the file.
  /// - Throws: `.oneDirection` (our one-direction files) or `.noGenerator` when the file has none that way.
  func generatorPrefix(_ direction: Direction) throws(ModelFileError) -> String {
    guard modelDescription.directions.contains(direction) else {
      if let a = domainA, let b = domainB { throw .oneDirection(path: path, domainA: a, domainB: b) }
      throw .noGenerator(path: path, direction: direction)
    }
    return modelDescription.generatorPrefix(direction)
  }

  /// The style network of a style model file.
  public func styleNetwork() throws(ModelFileError) -> StyleTransformerNetwork {
    guard case .style(let f, let blocks) = modelDescription.kind else {
      throw .unusable(path: path, reason: "not a style network (\(modelDescription.domains))")
    }
    let network = StyleTransformerNetwork(baseFilters: f, blocks: blocks)
    try load(network, prefix: "")
    return network
  }

  /// Converts the tensors under `prefix` (only those) and loads them into `network`.
  private func load(_ network: any Layer, prefix: String) throws(ModelFileError) {
    let scope = prefix.isEmpty ? "" : prefix + "."
    var values: [String: Tensor] = [:]
    for name in tensors.names where name.hasPrefix(scope) { values[name] = tensors.tensor(name) }
    do { try network.load(values, prefix: prefix, source: path) } catch {
      throw .weightsDoNotFit(path: path, underlying: error)
    }
  }
}

/// The one writer of our model files: generators under their prefixes and the description every reader needs
/// (format, version, domains, architecture, training size and length); `extra` adds a method's own keys.
func writeModelFile(
  to path: String, generators: [(prefix: String, layer: any Layer)], architecture: GeneratorArchitecture,
  domainA: String, domainB: String, imageSize: Int, progress: TrainingProgress,
  extra: [String: String] = [:]
) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  var metadata = [
    "format": TranslationModel.format, "version": TranslationModel.version,
    "domain_a": domainA, "domain_b": domainB,
    "architecture": String(decoding: try encoder.encode(architecture), as: UTF8.self),
    "image_size": "\(imageSize)", "iterations": "\(progress.step)",
    "epochs": "\(progress.epoch - (progress.iteration == 0 ? 1 : 0))",
    "training_seconds": String(format: "%.0f", progress.seconds),
    "date": ISO8601DateFormatter().string(from: Date()),
  ]
  metadata.merge(extra) { _, new in new }
  try SafeTensors.write(generators.flatMap { $0.layer.stateDict(prefix: $0.prefix) }, metadata: metadata, to: path)
}

extension CycleGAN {
  /// Writes both generators and their description: the model a user translates with.
  public func saveModel(to path: String, domainA: String, domainB: String, imageSize: Int, progress: TrainingProgress)
    throws
  {
    try writeModelFile(
      to: path, generators: [(Direction.aToB.prefix, generatorAtoB), (Direction.bToA.prefix, generatorBtoA)],
      architecture: configuration.generator, domainA: domainA, domainB: domainB, imageSize: imageSize,
      progress: progress)
  }
}
