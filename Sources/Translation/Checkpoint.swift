// Training checkpoints: one safetensors file with a method's networks (junyanz prefixes: CycleGAN's G_A, G_B,
// D_A, D_B; pix2pix's G, D), the optimizers' moments, CycleGAN's image pools, and in its metadata the
// configuration, the position in the run and every random generator's state, so that `--resume` continues bit
// for bit. The parts every method has are written and read here once (CheckpointContents, CheckpointReader).

import Foundation

/// Where a run stands: the next step to take is `step + 1`, in `epoch`, at `iteration` within it.
public struct TrainingProgress: Codable, Equatable, Sendable {
  /// Steps completed.
  public var step = 0
  /// 1-based epoch of the next step, and its 0-based iteration within that epoch.
  public var epoch = 1
  public var iteration = 0
  /// Wall-clock seconds spent training so far.
  public var seconds = 0.0
  /// Processes that trained together (data parallel; nil in checkpoints from before MPI support: one).
  public var ranks: Int?
  public init() {}
}

public enum CheckpointError: Error, CustomStringConvertible, Equatable {
  case invalid(path: String, reason: String)
  public var description: String {
    switch self {
    case .invalid(let path, let reason): "\(path): not a usable checkpoint: \(reason)"
    }
  }
}

enum CheckpointFormat {
  static let version = "1"
}

extension SeededGenerator {
  /// The state as 64 hex digits (metadata is string → string).
  var hexState: String { [state.0, state.1, state.2, state.3].map { String(format: "%016llx", $0) }.joined() }
  /// nil unless `s` is exactly 64 hex digits of a non-zero state.
  init?(hexState s: String) {
    let digits = Array(s.utf8)
    guard digits.count == 64,
      digits.allSatisfy({
        UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0
          || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 || UInt8(ascii: "A")...UInt8(ascii: "F") ~= $0
      })
    else { return nil }
    let words = (0..<4).compactMap {
      UInt64(String(decoding: digits[16 * $0..<16 * ($0 + 1)], as: UTF8.self), radix: 16)
    }
    guard words.count == 4, words != [0, 0, 0, 0] else { return nil }
    self.init(state: (words[0], words[1], words[2], words[3]))
  }
}

/// Every Dropout layer in `layer`, depth first (their generators are part of the run's state).
func dropoutLayers(_ layer: any Layer) -> [Dropout] {
  (layer as? Dropout).map { [$0] } ?? layer.sublayers.flatMap(dropoutLayers)
}

/// What every method's checkpoint holds: the networks under their prefixes, the optimizers' moments and steps,
/// the dropout generators' states, the configuration and the progress. A method appends what else it has.
struct CheckpointContents {
  var tensors: [(name: String, tensor: Tensor)] = []
  var metadata: [String: String]

  init(
    format: String, configuration: some Encodable, progress: TrainingProgress,
    networks: [(prefix: String, layer: any Layer)], optimizers: [(name: String, optimizer: Adam)]
  ) throws {
    for (prefix, net) in networks { tensors += net.stateDict(prefix: prefix) }
    for (name, optimizer) in optimizers {
      tensors += optimizer.state.tensors.map { ("\(name).\($0.name)", $0.tensor) }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    metadata = [
      "format": format, "version": CheckpointFormat.version,
      "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
      "progress": String(decoding: try encoder.encode(progress), as: UTF8.self),
    ]
    for (name, optimizer) in optimizers { metadata["\(name).step"] = "\(optimizer.step)" }
    for (prefix, net) in networks {
      for (i, d) in dropoutLayers(net).enumerated() {
        metadata["\(prefix).dropout.\(i).rng"] = d.generator.rng.hexState
      }
    }
  }

  func write(to path: String) throws { try SafeTensors.write(tensors, metadata: metadata, to: path) }
}

/// A checkpoint read once: its format checked, its configuration and progress decoded, and the parts every
/// method has restored on request.
struct CheckpointReader<Configuration: TrainingConfiguration> {
  let path: String
  let file: SafeTensorsFile
  let tensors: [String: Tensor]
  let configuration: Configuration
  let progress: TrainingProgress

  /// Reads `path`, checks its format and version, decodes the configuration and progress, and runs
  /// `checkpointProblem` on them before anything is built.
  init(path: String, format: String, generatorPrefix: String, discriminatorPrefix: String) throws {
    self.path = path
    file = try SafeTensors.read(path)
    let m = file.metadata
    func fail(_ reason: String) -> CheckpointError { .invalid(path: path, reason: reason) }
    guard m["format"] == format else { throw fail("format is '\(m["format"] ?? "none")'") }
    guard m["version"] == CheckpointFormat.version else {
      throw fail("version '\(m["version"] ?? "none")' is not supported")
    }
    let decoder = JSONDecoder()
    guard let configurationJSON = m["configuration"], let progressJSON = m["progress"],
      let configuration = try? decoder.decode(Configuration.self, from: Data(configurationJSON.utf8)),
      let progress = try? decoder.decode(TrainingProgress.self, from: Data(progressJSON.utf8))
    else { throw fail("configuration or progress metadata missing or malformed") }
    // Checked before anything is built: a corrupt header must not ask for terabytes or divide by zero.
    if let problem = checkpointProblem(
      configuration, progress, shapes: file.header.shapes, generatorPrefix: generatorPrefix,
      discriminatorPrefix: discriminatorPrefix, source: path)
    {
      throw fail(problem)
    }
    (self.configuration, self.progress, tensors) = (configuration, progress, file.tensors)
  }

  var metadata: [String: String] { file.metadata }
  func fail(_ reason: String) -> CheckpointError { .invalid(path: path, reason: reason) }

  func load(_ networks: [(prefix: String, layer: any Layer)]) throws {
    for (prefix, net) in networks { try net.load(tensors, prefix: prefix, source: path) }
  }

  func restore(_ optimizer: inout Adam, name: String) throws {
    guard let step = metadata["\(name).step"].flatMap(Int.init), step >= 0 else {
      throw fail("\(name).step missing or negative")
    }
    let slots = tensors.filter { $0.key.hasPrefix(name + ".") }.map {
      (String($0.key.dropFirst(name.count + 1)), $0.value)
    }
    try optimizer.restore(OptimizerState(step: step, tensors: slots))
  }

  func restoreDropout(_ networks: [(prefix: String, layer: any Layer)]) throws {
    for (prefix, net) in networks {
      for (i, d) in dropoutLayers(net).enumerated() {
        guard let rng = metadata["\(prefix).dropout.\(i).rng"].flatMap(SeededGenerator.init(hexState:)) else {
          throw fail("\(prefix).dropout.\(i).rng missing or not 64 hex digits")
        }
        d.generator.rng = rng
      }
    }
  }
}

extension CycleGAN {
  public static let checkpointFormat = "translate-cyclegan-checkpoint"

  public func saveCheckpoint(to path: String, progress: TrainingProgress) throws {
    var contents = try CheckpointContents(
      format: Self.checkpointFormat, configuration: configuration, progress: progress,
      networks: networks, optimizers: [("optimizer_G", optimizerG), ("optimizer_D", optimizerD)])
    for (name, pool) in [("pool_A", poolA), ("pool_B", poolB)] {
      contents.tensors += pool.images.enumerated().map { ("\(name).\($0.offset)", $0.element) }
      contents.metadata["\(name).rng"] = pool.rng.hexState
    }
    try contents.write(to: path)
  }

  /// Restores a model, its optimizers, pools and generators exactly as saved.
  public static func loadCheckpoint(from path: String) throws -> (CycleGAN, TrainingProgress) {
    let reader = try CheckpointReader<CycleGANConfiguration>(
      path: path, format: checkpointFormat,
      generatorPrefix: JunyanzNames.generatorAtoB,
      discriminatorPrefix: JunyanzNames.discriminatorOfB)
    let configuration = reader.configuration
    var model = CycleGAN(configuration)
    try reader.load(model.networks)
    try reader.restore(&model.optimizerG, name: "optimizer_G")
    try reader.restore(&model.optimizerD, name: "optimizer_D")
    for (name, keyPath) in [("pool_A", \CycleGAN.poolA), ("pool_B", \CycleGAN.poolB)] {
      guard let rng = reader.metadata["\(name).rng"].flatMap(SeededGenerator.init(hexState:)) else {
        throw reader.fail("\(name).rng missing or not 64 hex digits")
      }
      var images: [Tensor] = []
      while let t = reader.tensors["\(name).\(images.count)"] { images.append(t) }
      guard images.count <= configuration.poolSize else { throw reader.fail("\(name) holds \(images.count) images") }
      model[keyPath: keyPath] = ImagePool(capacity: configuration.poolSize, images: images, rng: rng)
    }
    try reader.restoreDropout(model.networks)
    return (model, reader.progress)
  }
}
