// Whole-network timings behind `translate bench generator` and `translate bench train-step`: a ResNet
// generator's forward pass (no tape) and a full CycleGAN training step, with the counts of useful
// multiply-adds that turn times into GFLOP/s. bench/compare-pytorch runs the same measurements in PyTorch.

import Autograd
import Translation

public enum NetworkBenchmark {
  /// Multiply-adds of one ResNet generator forward pass on a size×size image: the convolutions only
  /// (normalization, padding and activations are O(pixels·channels), under 1% here).
  public static func resnetMultiplyAdds(
    size: Int, baseFilters: Int, blocks: Int, inChannels: Int = 3,
    outChannels: Int = 3
  ) -> Int {
    let layers = BenchLayer.resnetGenerator(
      size: size, baseFilters: baseFilters, inChannels: inChannels,
      outChannels: outChannels)
    return layers.reduce(0) { total, layer in
      total + layer.multiplyAdds * (layer.name.hasPrefix("R") ? 2 * blocks : 1)
    }
  }

  /// Seconds of each of `repeats` forward passes of `generator` on `input` (after one warm-up pass), and the
  /// last output. No gradient tape is recorded, as in inference.
  public static func timeForward(_ generator: any Layer, input: Tensor, repeats: Int) -> (
    seconds: [Double], output: Tensor
  ) {
    GradientMode.withoutGradients {
      var output = generator(Variable(input)).value
      var seconds: [Double] = []
      for _ in 0..<repeats {
        seconds.append(measure { output = generator(Variable(input)).value })
      }
      return (seconds, output)
    }
  }

  /// Seconds of each of `steps` CycleGAN training steps (after one warm-up step) on fixed batches: `batches`
  /// when given, else realA, realB: (batch, C, size, size), uniform in [−1, 1) from `seed`.
  public static func timeTrainingSteps(
    _ model: inout CycleGAN, size: Int, steps: Int, seed: UInt64 = 7,
    batches: (realA: Tensor, realB: Tensor)? = nil
  ) -> [Double] {
    var rng = SeededGenerator(seed: seed)
    let c = model.configuration
    let shape = [c.batchSize, c.generator.inChannels, size, size]
    let realA = batches?.realA ?? Tensor.uniform(shape, low: -1, high: 1, using: &rng)
    let realB =
      batches?.realB
      ?? Tensor.uniform([c.batchSize, c.generator.outChannels, size, size], low: -1, high: 1, using: &rng)
    _ = model.trainingStep(realA: realA, realB: realB)
    var seconds: [Double] = []
    for _ in 0..<steps {
      seconds.append(measure { _ = model.trainingStep(realA: realA, realB: realB) })
    }
    return seconds
  }

  /// Seconds `body` takes.
  static func measure(_ body: () -> Void) -> Double { ContinuousClock().measure(body) / .seconds(1) }
}
