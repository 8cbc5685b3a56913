// CUT files: the training checkpoint (G, D, F, their three Adam states, the sampling generator and any dropout
// generators, so `--resume` continues bit for bit) and the one-generator model file a user translates with.

import Foundation

enum CUTCheckpointFormat {
  static let name = "translate-cut-checkpoint", version = "1"
}

extension CUT {
  private var optimizers: [(name: String, keyPath: WritableKeyPath<CUT, Adam>)] {
    [("optimizer_G", \CUT.optimizerG), ("optimizer_D", \CUT.optimizerD), ("optimizer_F", \CUT.optimizerF)]
  }

  public func saveCheckpoint(to path: String, progress: TrainingProgress) throws {
    var tensors: [(name: String, tensor: Tensor)] = []
    for (prefix, net) in networks { tensors += net.stateDict(prefix: prefix) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    var metadata = [
      "format": CUTCheckpointFormat.name, "version": CUTCheckpointFormat.version,
      "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
      "progress": String(decoding: try encoder.encode(progress), as: UTF8.self),
      "rng": rng.hexState,
    ]
    for (name, keyPath) in optimizers {
      let state = self[keyPath: keyPath].state
      tensors += state.tensors.map { ("\(name).\($0.name)", $0.tensor) }
      metadata["\(name).step"] = "\(state.step)"
    }
    for (i, d) in dropoutLayers(generator).enumerated() { metadata["G.dropout.\(i).rng"] = d.generator.rng.hexState }
    try SafeTensors.write(tensors, metadata: metadata, to: path)
  }

  /// Restores a model, its optimizers and generators exactly as saved.
  public static func loadCheckpoint(from path: String) throws -> (CUT, TrainingProgress) {
    let file = try SafeTensors.read(path)
    let m = file.metadata
    func fail(_ reason: String) -> CUTError { .invalidCheckpoint(path: path, reason: reason) }
    guard m["format"] == CUTCheckpointFormat.name else { throw fail("format is '\(m["format"] ?? "none")'") }
    guard m["version"] == CUTCheckpointFormat.version else {
      throw fail("version '\(m["version"] ?? "none")' is not supported")
    }
    let decoder = JSONDecoder()
    guard let configurationJSON = m["configuration"], let progressJSON = m["progress"],
      let configuration = try? decoder.decode(CUTConfiguration.self, from: Data(configurationJSON.utf8)),
      let progress = try? decoder.decode(TrainingProgress.self, from: Data(progressJSON.utf8))
    else { throw fail("configuration or progress metadata missing or malformed") }
    guard let rng = m["rng"].flatMap(SeededGenerator.init(hexState:)) else { throw fail("rng missing") }

    var model = try CUT(configuration)
    let tensors = file.tensors
    for (prefix, net) in model.networks { try net.load(tensors, prefix: prefix, source: path) }
    for (name, keyPath) in model.optimizers {
      guard let step = m["\(name).step"].flatMap(Int.init) else { throw fail("\(name).step missing") }
      let slots = tensors.filter { $0.key.hasPrefix(name + ".") }.map {
        (String($0.key.dropFirst(name.count + 1)), $0.value)
      }
      try model[keyPath: keyPath].restore(OptimizerState(step: step, tensors: slots))
    }
    model.rng = rng
    for (i, d) in dropoutLayers(model.generator).enumerated() {
      guard let state = m["G.dropout.\(i).rng"].flatMap(SeededGenerator.init(hexState:)) else {
        throw fail("G.dropout.\(i).rng missing")
      }
      d.generator.rng = state
    }
    return (model, progress)
  }

  /// Writes the generator A → B alone under `G_A.` in our model format, with the two domains and
  /// `directions: AtoB` (CUT learns one direction; there is no G_B).
  public func saveModel(to path: String, domainA: String, domainB: String, imageSize: Int, progress: TrainingProgress)
    throws
  {
    try writeModelFile(
      to: path, generators: [(Direction.aToB.prefix, generator)], architecture: configuration.generator,
      domainA: domainA, domainB: domainB, imageSize: imageSize, progress: progress,
      extra: [ModelDescription.directionsKey: Direction.aToB.rawValue, "method": configuration.mode.rawValue])
  }

}
