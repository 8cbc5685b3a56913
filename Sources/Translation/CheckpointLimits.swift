// What a checkpoint's metadata may ask `--resume` to build and run: the decoded configuration and progress
// within sane limits, and networks of the sizes the checkpoint's own tensors have. Checked before anything is
// built, so that a corrupt or hostile header gives an error instead of terabytes, a division by zero or a trap.

/// The first problem of a checkpoint's configuration and progress, or nil. `shapes` are the file's tensors; the
/// generator and discriminator checked are those under the two prefixes (CycleGAN: G_A and D_A; pix2pix: G and D).
func checkpointProblem(
  _ c: some TrainingConfiguration, _ progress: TrainingProgress, shapes: [String: [Int]], generatorPrefix: String,
  discriminatorPrefix: String, source: String
) -> String? {
  let detected: GeneratorArchitecture
  do {
    try c.generator.checkLimits(source: source)
    detected = try GeneratorArchitecture.detect(shapes, prefix: generatorPrefix, source: source)
  } catch { return error.reason }
  guard c.generator.hasSameSizes(as: detected) else {
    return
      "the configuration's generator is \(c.generator.summary) but the \(generatorPrefix) tensors hold \(detected.summary)"
  }
  if let problem = discriminatorProblem(c, shapes: shapes, prefix: discriminatorPrefix) { return problem }
  let counts: [(String, Int, ClosedRange<Int>)] = [
    ("poolSize", c.poolSize, 0...10_000), ("batchSize", c.batchSize, 1...1024),
    ("epochs", c.epochs, 0...1_000_000), ("decayEpochs", c.decayEpochs, 0...1_000_000),
    ("progress.step", progress.step, 0...Int(Int32.max)),
    ("progress.iteration", progress.iteration, 0...Int(Int32.max)),
    ("progress.epoch", progress.epoch, 1...2_000_001),
  ]
  for (name, value, range) in counts where !range.contains(value) {
    return "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)"
  }
  guard c.totalEpochs >= 1 else { return "epochs + decayEpochs must be at least 1" }
  let weights = c.lossWeights + [("initGain", c.initGain)]
  for (name, value) in weights where !(value.isFinite && value >= 0) {
    return "\(name) \(value) is not finite and non-negative"
  }
  guard c.learningRate.isFinite, c.learningRate > 0 else { return "learningRate \(c.learningRate) is not positive" }
  guard c.beta1 >= 0, c.beta1 < 1 else { return "beta1 \(c.beta1) is outside [0, 1)" }
  guard progress.seconds.isFinite, progress.seconds >= 0 else {
    return "progress.seconds \(progress.seconds) is not a duration"
  }
  return nil
}

/// The discriminator the configuration asks for, against the tensors under `prefix` (CycleGAN's D_A): its width (the first convolution's
/// outputs) and depth (the number of convolutions: n + 2 for an n-layer PatchGAN, 3 for the pixel one).
private func discriminatorProblem(_ c: some TrainingConfiguration, shapes: [String: [Int]], prefix: String) -> String? {
  guard GeneratorArchitecture.Limits.baseFilters.contains(c.discriminatorFilters) else {
    return "discriminatorFilters \(c.discriminatorFilters) is outside \(GeneratorArchitecture.Limits.baseFilters)"
  }
  let layers: Int
  switch c.discriminator {
  case .basic: layers = 3
  case .nLayers:
    guard (1...8).contains(c.discriminatorLayers) else {
      return "discriminatorLayers \(c.discriminatorLayers) is outside 1...8"
    }
    layers = c.discriminatorLayers
  case .pixel: layers = 1
  }
  let convolutions = shapes.filter {
    $0.key.hasPrefix(prefix + ".") && $0.key.hasSuffix(".weight") && $0.value.count == 4
  }
  let first = shapes["\(prefix).model.0.weight"] ?? shapes["\(prefix).net.0.weight"]
  guard first?.first == c.discriminatorFilters, convolutions.count == layers + 2 else {
    return
      "the configuration's discriminator (\(c.discriminator), \(c.discriminatorFilters) filters) does not match the \(prefix) tensors"
  }
  // As GeneratorArchitecture.detect: zero-sized tensors must not describe a network much larger than the file.
  let stored = shapes.filter { $0.key.hasPrefix(prefix + ".") }.values.reduce(0) {
    min($0 + valueCount($1), Int.max / 2)
  }
  let needed = discriminatorWeightCount(c, layers: layers)
  guard 2 * stored >= needed else {
    return
      "the \(prefix) tensors hold \(stored) values, less than half the \(needed) convolution weights of the discriminator"
  }
  return nil
}

/// Convolution weights of the configured discriminator: NLayerDiscriminator (4×4: in→f, then `layers` steps
/// f·m → f·min(2^i, 8), then → 1) or PixelDiscriminator (1×1: in→f→2f→1). Within the limits above.
func discriminatorWeightCount(_ c: some TrainingConfiguration, layers n: Int) -> Int {
  let (i, f) = (c.discriminatorInChannels, c.discriminatorFilters)
  if c.discriminator == .pixel { return i * f + 2 * f * f + 2 * f }
  var multiplier = 1
  var total = 16 * i * f
  for layer in 1...max(n, 1) {
    let next = min(1 << layer, 8)
    total += 16 * f * multiplier * f * next
    multiplier = next
  }
  return total + 16 * f * multiplier
}
