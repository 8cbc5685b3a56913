// Model files and generators for inference and command-line tests: our two-generator model file of a tiny
// CycleGAN, generators with random weights (as plain state_dicts too), and image differences.

import Foundation
import Translation

/// Saves a tiny CycleGAN (`tinyConfiguration()` unless given) as our model file, trained for `iterations`.
public func saveTinyModel(
  _ path: String, _ a: String, _ b: String, configuration: CycleGANConfiguration = tinyConfiguration(),
  iterations: Int = 10, imageSize: Int = 64
) throws {
  var progress = TrainingProgress()
  progress.step = iterations
  try CycleGAN(configuration).saveModel(to: path, domainA: a, domainB: b, imageSize: imageSize, progress: progress)
}

/// A generator with N(0, gain²) weights: gain ≈ 1/√(fan-in of the last conv) spreads outputs over the range, so
/// that equivalence tests are neither satisfied by flat gray nor by saturated (tanh ±1) outputs.
public func randomGenerator(_ architecture: GeneratorArchitecture, seed: UInt64 = 3, gain: Float = 0.05) -> any Layer {
  let net = architecture.build(seed: seed)
  var rng = SeededGenerator(seed: seed)
  initializeWeights(net, .normal, gain: gain, using: &rng)
  return net
}

/// The largest difference of two images' samples (same geometry), in levels.
public func maxDifference(_ a: Image, _ b: Image) -> Int {
  zip(a.samples, b.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
}
