// Training checkpoints: one safetensors file with the four networks (junyanz prefixes G_A, G_B, D_A, D_B),
// both optimizers' moments, the image pools, and in its metadata the configuration, the position in the
// run and every generator state, so that `--resume` continues bit for bit.

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
  public init() {}
}

public enum CheckpointError: Error, CustomStringConvertible, Equatable {
  case invalid(path: String, reason: String)
  public var description: String {
    switch self { case let .invalid(path, reason): "\(path): not a usable checkpoint: \(reason)" }
  }
}

enum CheckpointFormat {
  static let name = "translate-cyclegan-checkpoint", version = "1"
}

extension SeededGenerator {
  /// The state as 64 hex digits (metadata is string → string).
  var hexState: String { [state.0, state.1, state.2, state.3].map { String(format: "%016llx", $0) }.joined() }
  /// nil unless `s` is exactly 64 hex digits of a non-zero state.
  init?(hexState s: String) {
    let digits = Array(s.utf8)
    guard digits.count == 64, digits.allSatisfy({ UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0
      || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 || UInt8(ascii: "A")...UInt8(ascii: "F") ~= $0 })
    else { return nil }
    let words = (0..<4).compactMap { UInt64(String(decoding: digits[16 * $0..<16 * ($0 + 1)], as: UTF8.self), radix: 16) }
    guard words.count == 4, words != [0, 0, 0, 0] else { return nil }
    self.init(state: (words[0], words[1], words[2], words[3]))
  }
}

/// Every Dropout layer in `layer`, depth first (their generators are part of the run's state).
func dropoutLayers(_ layer: any Layer) -> [Dropout] {
  (layer as? Dropout).map { [$0] } ?? layer.sublayers.flatMap(dropoutLayers)
}

extension CycleGAN {
  public func saveCheckpoint(to path: String, progress: TrainingProgress) throws {
    var tensors: [(name: String, tensor: Tensor)] = []
    for (prefix, net) in networks { tensors += net.stateDict(prefix: prefix) }
    for (name, state) in [("optimizer_G", optimizerG.state), ("optimizer_D", optimizerD.state)] {
      tensors += state.tensors.map { ("\(name).\($0.name)", $0.tensor) }
    }
    for (name, pool) in [("pool_A", poolA), ("pool_B", poolB)] {
      tensors += pool.images.enumerated().map { ("\(name).\($0.offset)", $0.element) }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    var metadata = [
      "format": CheckpointFormat.name, "version": CheckpointFormat.version,
      "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
      "progress": String(decoding: try encoder.encode(progress), as: UTF8.self),
      "optimizer_G.step": "\(optimizerG.step)", "optimizer_D.step": "\(optimizerD.step)",
      "pool_A.rng": poolA.rng.hexState, "pool_B.rng": poolB.rng.hexState,
    ]
    for (prefix, net) in networks {
      for (i, d) in dropoutLayers(net).enumerated() { metadata["\(prefix).dropout.\(i).rng"] = d.generator.rng.hexState }
    }
    try SafeTensors.write(tensors, metadata: metadata, to: path)
  }

  /// Restores a model, its optimizers, pools and generators exactly as saved.
  public static func loadCheckpoint(from path: String) throws -> (CycleGAN, TrainingProgress) {
    let file = try SafeTensors.read(path)
    let m = file.metadata
    func fail(_ reason: String) -> CheckpointError { .invalid(path: path, reason: reason) }
    guard m["format"] == CheckpointFormat.name else { throw fail("format is '\(m["format"] ?? "none")'") }
    guard m["version"] == CheckpointFormat.version else { throw fail("version '\(m["version"] ?? "none")' is not supported") }
    let decoder = JSONDecoder()
    guard let configurationJSON = m["configuration"], let progressJSON = m["progress"],
          let configuration = try? decoder.decode(CycleGANConfiguration.self, from: Data(configurationJSON.utf8)),
          let progress = try? decoder.decode(TrainingProgress.self, from: Data(progressJSON.utf8))
    else { throw fail("configuration or progress metadata missing or malformed") }
    // Checked before anything is built: a corrupt header must not ask for terabytes or divide by zero.
    if let problem = checkpointProblem(configuration, progress, shapes: file.header.shapes, source: path) {
      throw fail(problem)
    }

    var model = CycleGAN(configuration)
    let tensors = file.tensors
    for (prefix, net) in model.networks { try net.load(tensors, prefix: prefix, source: path) }
    for (name, keyPath) in [("optimizer_G", \CycleGAN.optimizerG), ("optimizer_D", \CycleGAN.optimizerD)] {
      guard let step = m["\(name).step"].flatMap(Int.init), step >= 0 else { throw fail("\(name).step missing or negative") }
      let slots = tensors.filter { $0.key.hasPrefix(name + ".") }.map { (String($0.key.dropFirst(name.count + 1)), $0.value) }
      try model[keyPath: keyPath].restore(OptimizerState(step: step, tensors: slots))
    }
    for (name, keyPath) in [("pool_A", \CycleGAN.poolA), ("pool_B", \CycleGAN.poolB)] {
      guard let rng = m["\(name).rng"].flatMap(SeededGenerator.init(hexState:)) else { throw fail("\(name).rng missing or not 64 hex digits") }
      var images: [Tensor] = []
      while let t = tensors["\(name).\(images.count)"] { images.append(t) }
      guard images.count <= configuration.poolSize else { throw fail("\(name) holds \(images.count) images") }
      model[keyPath: keyPath] = ImagePool(capacity: configuration.poolSize, images: images, rng: rng)
    }
    for (prefix, net) in model.networks {
      for (i, d) in dropoutLayers(net).enumerated() {
        guard let rng = m["\(prefix).dropout.\(i).rng"].flatMap(SeededGenerator.init(hexState:)) else {
          throw fail("\(prefix).dropout.\(i).rng missing or not 64 hex digits")
        }
        d.generator.rng = rng
      }
    }
    return (model, progress)
  }
}
