// The `translate` command line: subcommands only parse, validate, call the library and print. Translation
// (`run`) is the default, so `translate --from day --to night IN -o OUT` needs no subcommand name. A command line
// that does not parse gets ArgumentParser's message plus, for a mistyped command or value, the nearest valid word
// (Suggestion.swift).

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
    discussion: """
      Examples:
        translate --from day --to night photo.jpg -o night.jpg
        translate models
        translate train --from day --to night --preset quick --tensorboard runs/tb
      """,
    subcommands: [
      Run.self, Models.self, Train.self, Eval.self, Dataset.self, Style.self, TrainStyle.self, Bench.self,
      Inspect.self, Convert.self, Export.self,
    ],
    defaultSubcommand: Run.self)

  /// ArgumentParser's own `main`, with a hint added to parse errors; first, once, a restart with better BLAS
  /// kernels when OpenBLAS fell back to generic ones on a CPU that has them (TensorCore/BLASKernels.swift).
  static func main() {
    #if os(Linux)
    if let core = BLASKernels.betterCoreType(environment: ProcessInfo.processInfo.environment) {
      setenv("OPENBLAS_CORETYPE", core, 1)
      execv("/proc/self/exe", CommandLine.unsafeArgv)  // returns only if the restart failed: carry on as we are
    }
    #endif
    let arguments = Array(CommandLine.arguments.dropFirst())
    var command: any ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      exit(withError: error, hint: hint(for: arguments, error: error))
    }
    do { try command.run() } catch { exit(withError: error) }
  }

  /// The nearest valid word for a command line that failed to parse (not for --help and other clean exits).
  static func hint(for arguments: [String], error: any Error) -> Suggestion? {
    guard !exitCode(for: error).isSuccess, let tree = CommandTree.of(Translate.self) else { return nil }
    return Suggestion.find(in: arguments, tree: tree) { FileManager.default.fileExists(atPath: $0) }
  }

  /// A mistyped command replaces the message of the command it fell through to (`translate modles` is no input
  /// for `run`); a mistyped value adds its hint under ArgumentParser's message.
  static func exit(withError error: any Error, hint: Suggestion?) -> Never {
    guard let hint else { exit(withError: error) }
    let text: String
    if case .command(_, let path, _) = hint {
      text = "Error: \(hint.message)\n  See '\(path.joined(separator: " ")) --help' for more information.\n"
    } else {
      var lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      lines.insert(hint.message, at: min(1, lines.count))
      text = lines.joined(separator: "\n") + "\n"
    }
    FileHandle.standardError.write(Data(text.utf8))
    exit(withError: exitCode(for: error))
  }
}
