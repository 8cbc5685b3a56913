// What a model file is, decided from its safetensors header alone (metadata and tensor shapes, never the
// weights): the one place that reads format, version, architecture and domains. The registry and
// `translate models` describe headers read alone; loading describes the header of the file it read once.

import Foundation

/// Which network a model file holds.
public enum ModelKind: Sendable, Equatable {
  /// Our model file, with the domains' names: G_A (domain A → domain B) and, from CycleGAN, G_B; pix2pix and CUT
  /// models hold G_A alone (`directions`).
  case translation(domainA: String, domainB: String)
  /// A plain PyTorch generator state_dict (junyanz's names); `bothDirections` when it holds G_A. and G_B.
  /// tensors (such as a training checkpoint).
  case plainGenerator(bothDirections: Bool)
  /// A fast style network (StyleNetworkFile.swift): Johnson et al.'s transformer.
  case style(baseFilters: Int, blocks: Int)
}

/// A model file as described by its header.
public struct ModelDescription: Sendable, Equatable {
  public let path: String
  public let kind: ModelKind
  /// The generator's architecture. A style network has none; its Johnson et al. layout (9×9 convs, two stride-2
  /// steps, residual blocks at 4f, two upsamplings) costs about what a ResNet generator with the same base width
  /// and blocks costs, so that stands in for memory planning and the size multiple (4, as the network needs).
  public let architecture: GeneratorArchitecture
  /// File size in bytes.
  public let fileBytes: Int
  /// Training image size and iterations (our CycleGAN files only).
  public let imageSize: Int?, iterations: Int?
  /// The generators the file holds: both directions, or A → B alone (a pix2pix model, a style network, a plain
  /// generator state_dict).
  public let directions: [Direction]
  /// The metadata key of our one-direction files ("AtoB"); absent: both directions.
  static let directionsKey = "directions"
  /// A checkpoint's one generator prefix (pix2pix, CUT); nil elsewhere.
  private var singleGeneratorPrefix: String? = nil

  /// Reads only the header of the safetensors file at `path` (a PyTorch checkpoint: its pickle, which holds the
  /// shapes, and the layout of its storages) and describes the network in it.
  /// - Throws: `ModelFileError.unreadable`, `.unreadableCheckpoint` or `.unusable` (no network we can build).
  public static func read(_ path: String) throws(ModelFileError) -> ModelDescription {
    if ModelTensors.isPyTorchCheckpoint(path) { return try ModelDescription(try ModelTensors.read(path)) }
    let header: SafeTensorsHeader
    do { header = try SafeTensors.readHeader(path) } catch { throw .unreadable(path: path, underlying: error) }
    return try ModelDescription(header: header)
  }

  /// Describes the network of a validated header; every metadata value it reads is checked here.
  /// - Throws: `ModelFileError.unusable` naming the file and the reason.
  public init(header: SafeTensorsHeader) throws(ModelFileError) {
    try self.init(path: header.path, fileBytes: header.fileSize, metadata: header.metadata, shapes: header.shapes)
  }

  /// Describes the tensors of a file read whole (safetensors or a PyTorch checkpoint).
  init(_ tensors: ModelTensors) throws(ModelFileError) {
    try self.init(path: tensors.path, fileBytes: tensors.fileBytes, metadata: tensors.metadata, shapes: tensors.shapes)
  }

  private init(path: String, fileBytes: Int, metadata m: [String: String], shapes: [String: [Int]])
    throws(ModelFileError)
  {
    self.path = path
    self.fileBytes = fileBytes
    switch m["format"] {
    case .some(TranslationModel.format):
      try Self.requireVersion(m, TranslationModel.version, path)
      guard let a = m["domain_a"], let b = m["domain_b"], !a.isEmpty, !b.isEmpty, a != b else {
        throw .unusable(path: path, reason: "domain_a and domain_b metadata must name two different domains")
      }
      kind = .translation(domainA: a, domainB: b)
      switch m[Self.directionsKey] {
      case nil: directions = [.aToB, .bToA]
      case Direction.aToB.rawValue?: directions = [.aToB]
      case let other?:
        throw .unusable(
          path: path,
          reason: "directions metadata '\(other)' is not supported (expected \(Direction.aToB.rawValue) or none)")
      }
      architecture = try Self.declaredArchitecture(
        m["architecture"].flatMap { try? JSONDecoder().decode(GeneratorArchitecture.self, from: Data($0.utf8)) },
        shapes: shapes, prefix: "G_A", path: path)
      imageSize = try Self.integer(m, "image_size", in: 1...(1 << 20), path)
      iterations = try Self.integer(m, "iterations", in: 0...Int.max, path)
    case .some(StyleNetworkFile.format):
      try Self.requireVersion(m, StyleNetworkFile.version, path)
      let (f, blocks) = try Self.styleLayout(m, shapes: shapes, path: path)
      kind = .style(baseFilters: f, blocks: blocks)
      directions = [.aToB]
      architecture = .resnet(
        inChannels: 3, outChannels: 3, baseFilters: f, blocks: blocks, norm: .instance,
        dropout: false, padding: .reflect)
      (imageSize, iterations) = (nil, nil)
    case .some(let format) where Self.checkpointGenerators(format) != nil:
      // A training checkpoint: its configuration declares the generator (detection alone cannot tell bilinear
      // from nearest resize-convolutions); CycleGAN's holds G_A and G_B, the others one generator.
      try Self.requireVersion(m, CheckpointFormat.version, path)
      let prefixes = Self.checkpointGenerators(format) ?? []
      architecture = try Self.declaredArchitecture(
        Self.checkpointGenerator(m["configuration"]), shapes: shapes, prefix: prefixes.first ?? "", path: path)
      kind = .plainGenerator(bothDirections: prefixes.count == 2)
      directions = prefixes.count == 2 ? [.aToB, .bToA] : [.aToB]
      singleGeneratorPrefix = prefixes.count == 1 ? prefixes.first : nil
      (imageSize, iterations) = (nil, nil)
    default:
      // A plain generator state_dict (PyTorch writes format "pt"), optionally under G_A./G_B. as in our files.
      let prefixed = shapes.keys.contains { $0.hasPrefix("G_A.") } && shapes.keys.contains { $0.hasPrefix("G_B.") }
      do {
        architecture = try GeneratorArchitecture.detect(shapes, prefix: prefixed ? "G_A" : "", source: path)
      } catch { throw .unusable(path: path, reason: error.reason) }
      kind = .plainGenerator(bothDirections: prefixed)
      directions = prefixed ? [.aToB, .bToA] : [.aToB]
      (imageSize, iterations) = (nil, nil)
    }
  }

  /// Where a direction's generator sits in the file: under G_A./G_B. in our files and two-generator
  /// state_dicts, under a checkpoint's one generator prefix (pix2pix, CUT: "G."), at the top of a plain one.
  public func generatorPrefix(_ direction: Direction) -> String {
    if let singleGeneratorPrefix { return singleGeneratorPrefix }
    return domainA != nil || hasBothDirections ? direction.prefix : ""
  }

  /// The generator prefixes of each method's checkpoint format; nil for other formats.
  private static func checkpointGenerators(_ format: String) -> [String]? {
    switch format {
    case CycleGAN.checkpointFormat: [JunyanzNames.generatorAtoB, JunyanzNames.generatorBtoA]
    case Pix2Pix.checkpointFormat: [JunyanzNames.pix2pixGenerator]
    case CUT.checkpointFormat: [CUT.generatorPrefix]
    default: nil
    }
  }

  /// The generator architecture inside a checkpoint's configuration JSON; nil when missing or malformed.
  private static func checkpointGenerator(_ configuration: String?) -> GeneratorArchitecture? {
    struct GeneratorOnly: Decodable { let generator: GeneratorArchitecture }
    guard let configuration else { return nil }
    return try? JSONDecoder().decode(GeneratorOnly.self, from: Data(configuration.utf8)).generator
  }

  /// Domain names of our CycleGAN files; nil otherwise.
  public var domainA: String? { if case .translation(let a, _) = kind { a } else { nil } }
  public var domainB: String? { if case .translation(_, let b) = kind { b } else { nil } }
  /// True for files holding G_A and G_B (both directions).
  public var hasBothDirections: Bool { directions.count == 2 }

  /// "day ↔ night", "labels → photos" (one direction), "(plain generator)" or "(style network)".
  public var domains: String {
    switch kind {
    case .translation(let a, let b): hasBothDirections ? "\(a) ↔ \(b)" : "\(a) → \(b)"
    case .plainGenerator: "(plain generator)"
    case .style: "(style network)"
    }
  }

  /// A short human description of the network: "resnet 9 blocks, 64 filters, …" or "style network, 5 blocks, 32 filters".
  public var summary: String {
    if case .style(let f, let blocks) = kind { return "style network, \(blocks) blocks, \(f) filters" }
    return architecture.summary
  }

  private static func requireVersion(_ m: [String: String], _ version: String, _ path: String) throws(ModelFileError) {
    guard m["version"] == version else {
      throw .unusable(
        path: path, reason: "model format version '\(m["version"] ?? "none")' is not supported (expected \(version))")
    }
  }

  /// A declared architecture (our files' metadata, a checkpoint's configuration; nil: missing or malformed), within
  /// limits and of the size the `prefix` tensors have: a header that declares more than its tensors hold is
  /// refused before anything that large is built.
  private static func declaredArchitecture(
    _ declared: GeneratorArchitecture?, shapes: [String: [Int]], prefix: String, path: String
  ) throws(ModelFileError) -> GeneratorArchitecture {
    guard let declared else {
      throw .unusable(path: path, reason: "architecture metadata missing or malformed")
    }
    let detected: GeneratorArchitecture
    do {
      try declared.checkLimits(source: path)
      detected = try GeneratorArchitecture.detect(shapes, prefix: prefix, source: path)
    } catch { throw .unusable(path: path, reason: error.reason) }
    guard declared.hasSameSizes(as: detected) else {
      throw .unusable(
        path: path,
        reason: "architecture metadata says \(declared.summary) but the \(prefix) tensors hold \(detected.summary)")
    }
    return declared
  }

  /// `base_filters` and `blocks` of a style network, within limits and matching its tensors (the first 9×9
  /// convolution `model.1` is (f, 3, 9, 9); residual blocks are `model.12.conv_block` onwards).
  private static func styleLayout(
    _ m: [String: String], shapes: [String: [Int]], path: String
  ) throws(ModelFileError) -> (baseFilters: Int, blocks: Int) {
    guard let f = m["base_filters"].flatMap(Int.init), GeneratorArchitecture.Limits.baseFilters.contains(f),
      let blocks = m["blocks"].flatMap(Int.init), GeneratorArchitecture.Limits.blocks.contains(blocks)
    else { throw .unusable(path: path, reason: "base_filters or blocks metadata missing or out of range") }
    let blockIndices = Set(
      shapes.keys.compactMap { key -> Int? in
        let parts = key.split(separator: ".")
        return parts.count > 2 && parts[0] == "model" && parts[2] == "conv_block" ? Int(parts[1]) : nil
      })
    guard shapes["model.1.weight"] == [f, 3, 9, 9], blockIndices == Set(12..<(12 + blocks)) else {
      throw .unusable(path: path, reason: "base_filters \(f) and blocks \(blocks) do not match the tensors")
    }
    // The ResNet of the same width and blocks has fewer weights (7×7 outer convolutions, not 9×9): a lower bound.
    let needed = GeneratorArchitecture.resnet(
      inChannels: 3, outChannels: 3, baseFilters: f, blocks: blocks, norm: .instance,
      dropout: false, padding: .reflect
    ).convolutionWeightCount
    let stored = shapes.values.reduce(0) { min($0 + valueCount($1), Int.max / 2) }
    guard 2 * stored >= needed else {  // as GeneratorArchitecture.detect: building costs at most twice the file
      throw .unusable(
        path: path,
        reason: "the tensors hold \(stored) values, less than half the \(needed) a style "
          + "network with base_filters \(f) and blocks \(blocks) needs")
    }
    return (f, blocks)
  }

  /// The optional integer metadata `key`; present but not an integer in `range` is an error.
  private static func integer(
    _ m: [String: String], _ key: String, in range: ClosedRange<Int>, _ path: String
  ) throws(ModelFileError) -> Int? {
    guard let text = m[key] else { return nil }
    guard let value = Int(text), range.contains(value) else {
      let wanted =
        range.upperBound == Int.max
        ? "a non-negative integer" : "an integer in \(range.lowerBound)...\(range.upperBound)"
      throw .unusable(path: path, reason: "\(key) metadata '\(text)' is not \(wanted)")
    }
    return value
  }
}
