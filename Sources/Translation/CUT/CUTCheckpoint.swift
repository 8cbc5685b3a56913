// CUT files: the training checkpoint (G, D, F and their three Adam states through the shared CheckpointContents
// and CheckpointReader, plus the sampling generator, so `--resume` continues bit for bit) and the one-generator
// model file a user translates with.

import Foundation

extension CUT {
  /// CUT and FastCUT share the format; the checkpoint's `method` metadata names the mode.
  public static let checkpointFormat = "translate-cut-checkpoint"

  private var optimizers: [(name: String, keyPath: WritableKeyPath<CUT, Adam>)] {
    [("optimizer_G", \CUT.optimizerG), ("optimizer_D", \CUT.optimizerD), ("optimizer_F", \CUT.optimizerF)]
  }

  public func saveCheckpoint(to path: String, progress: TrainingProgress) throws {
    var contents = try CheckpointContents(
      format: Self.checkpointFormat, configuration: configuration, progress: progress, networks: networks,
      optimizers: optimizers.map { ($0.name, self[keyPath: $0.keyPath]) })
    contents.metadata["method"] = configuration.method.rawValue
    contents.metadata["rng"] = rng.hexState
    try contents.write(to: path)
  }

  /// Restores a model, its optimizers and generators exactly as saved. A checkpoint that is not CUT's, or is
  /// damaged, throws `CUTError.invalidCheckpoint` with the reader's reason.
  public static func loadCheckpoint(from path: String) throws -> (CUT, TrainingProgress) {
    do {
      let reader = try CheckpointReader<CUTConfiguration>(
        path: path, format: checkpointFormat, generatorPrefix: generatorPrefix, discriminatorPrefix: discriminatorPrefix
      )
      guard let rng = reader.metadata["rng"].flatMap(SeededGenerator.init(hexState:)) else {
        throw reader.fail("rng missing or not 64 hex digits")
      }
      var model = try CUT(reader.configuration)
      try reader.load(model.networks)
      for (name, keyPath) in model.optimizers { try reader.restore(&model[keyPath: keyPath], name: name) }
      try reader.restoreDropout(model.networks)
      model.rng = rng
      return (model, reader.progress)
    } catch CheckpointError.invalid(let path, let reason) {
      throw CUTError.invalidCheckpoint(path: path, reason: reason)
    }
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
