// `--threads N`, shared by every command that computes: validated once, applied to our kernels and GEMMs.

import ArgumentParser
import TensorCore

struct ThreadsOption: ParsableArguments {
  @Option(help: "Compute threads (default: all cores).") var threads: Int?

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
  }

  /// Sets the thread count for everything that follows.
  func apply() { ComputeThreads.set(threads) }
}
