// The tensorboard Python package as the oracle: read_events.py (beside this file) reads a log folder with
// TensorBoard's CRC-checking record reader and its EventAccumulator. Tests that need it are skipped, never
// passed, when python3 cannot import tensorboard (scripts/deps.sh installs it with pip).

import Foundation
import TestSupport

/// What TensorBoard read from a log folder.
struct TensorBoardContents: Decodable {
  /// Records in all event files, the file-version event included.
  let records: Int
  /// tag → [[step, value]].
  let scalars: [String: [[Double]]]
  /// tag → [[step, width, height, first 8 bytes of the encoded image as hex]].
  let images: [String: [[ImageField]]]

  enum ImageField: Decodable, Equatable {
    case number(Int)
    case text(String)
    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .text(try c.decode(String.self)) }
    }
  }

  /// The series of `tag` as (step, value as stored: float32).
  func series(_ tag: String) -> [(step: Int, value: Float)] {
    (scalars[tag] ?? []).map { (Int($0[0]), Float($0[1])) }
  }
}

enum TensorBoardReader {
  /// True when `python3 -c "import tensorboard"` succeeds.
  static let available: Bool = (try? python(["-c", "import tensorboard"]).status) == 0

  static func read(_ folder: URL) throws -> TensorBoardContents {
    let script = packageRoot.appendingPathComponent("Tests/TensorBoardEventsTests/read_events.py").path
    let result = try python([script, folder.path])
    guard result.status == 0 else { throw ReaderFailed(message: result.stderr) }
    return try JSONDecoder().decode(TensorBoardContents.self, from: Data(result.stdout.utf8))
  }

  struct ReaderFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { "read_events.py failed: \(message)" }
  }

  static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let (out, err) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (out, err)
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
    )
  }
}
