// `translate bench allreduce` (under mpirun): the time of the one collective per optimizer that data-parallel
// training adds to a step — a CycleGAN's generator and discriminator gradients, each as one flat buffer.

import Distributed
import Translation

public enum AllreduceBenchmark {
  /// One optimizer's gradient sum: its name, the floats it moves and the seconds of each call.
  public struct Timing: Sendable {
    public let optimizer: String
    public let floats: Int
    public let seconds: [Double]
  }

  /// Seconds of each of `repeats` sums (after one warm-up) of buffers the size of `model`'s two optimizers.
  public static func time(_ model: CycleGAN, over ranks: any Communicator, repeats: Int) throws -> [Timing] {
    try [("optimizer_G", model.optimizerG), ("optimizer_D", model.optimizerD)].map { name, optimizer in
      var buffer = [Float](repeating: 1, count: optimizer.parameters.reduce(0) { $0 + $1.variable.value.count })
      try ranks.sum(&buffer)
      var seconds: [Double] = []
      for _ in 0..<repeats {
        var failure: (any Error)?
        seconds.append(
          NetworkBenchmark.measure {
            do { try ranks.sum(&buffer) } catch { failure = error }
          })
        if let failure { throw failure }
      }
      return Timing(optimizer: name, floats: buffer.count, seconds: seconds)
    }
  }
}
