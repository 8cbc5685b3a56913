// Terminal output for the subcommands: unbuffered writes (progress lines must appear as they happen even
// when stdout is a pipe), the one JSON encoding of every `--json`, errors to stderr with a non-zero exit.

import ArgumentParser
import Foundation

enum Output {
  /// Writes `text` to standard output at once.
  static func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
  static func line(_ text: String) { write(text + "\n") }

  /// Prints `value` as JSON on standard output, as every `--json` does: pretty-printed, keys sorted (stable
  /// for diffs and scripts), slashes unescaped (paths read as typed).
  static func json(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // JSON has no infinity: the PSNR of identical images is written as the string "inf" (Python's float() reads it).
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    line(String(decoding: try encoder.encode(value), as: UTF8.self))
  }
  /// True when standard output is a terminal (live progress lines) rather than a pipe or file.
  static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

  /// Reports a library error as `error: <description>` on stderr and exits with status 1.
  static func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(String(describing: error))\n".utf8))
    return ExitCode.failure
  }
}
