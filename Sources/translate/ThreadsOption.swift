// `--threads N`, shared by every command that computes: validated once, applied to our kernels and GEMMs.

import ArgumentParser
import Distributed
import Foundation
import TensorCore

struct ThreadsOption: ParsableArguments {
  @Option(help: "Compute threads (default: all cores, shared among the processes mpirun starts on this machine).")
  var threads: Int?

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
  }

  /// Sets the thread count for everything that follows.
  func apply() {
    let local = Launcher.processesOnThisMachine(environment: ProcessInfo.processInfo.environment)
    ComputeThreads.set(threads ?? (local > 1 ? max(1, ComputeThreads.count / local) : nil))
  }
}
