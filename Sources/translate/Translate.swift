// The `translate` command line: subcommands only parse, validate, call the library and print. Translation
// (`run`) is the default, so `translate --from day --to night IN -o OUT` needs no subcommand name.

import ArgumentParser
import Foundation
import TensorCore

#if canImport(Glibc)
import Glibc
#endif

@main
struct Translate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "translate",
    abstract: "Unpaired image-to-image translation (CycleGAN) and style transfer on the CPU.",
    subcommands: [
      Run.self, Models.self, Train.self, Eval.self, Dataset.self, Style.self, TrainStyle.self, Bench.self,
      Inspect.self, Convert.self, Export.self,
    ],
    defaultSubcommand: Run.self)

  /// Restarts once with OPENBLAS_CORETYPE set when OpenBLAS fell back to generic kernels on a CPU that has
  /// better ones (TensorCore/BLASKernels.swift), then runs the command.
  static func main() {
    #if os(Linux)
    if let core = BLASKernels.betterCoreType(environment: ProcessInfo.processInfo.environment) {
      setenv("OPENBLAS_CORETYPE", core, 1)
      execv("/proc/self/exe", CommandLine.unsafeArgv)  // returns only if the restart failed: carry on as we are
    }
    #endif
    main(nil)
  }
}
