// Reading only the header (`SafeTensors.readHeader`): the same metadata, tensors and errors as reading the
// whole file, without reading the data.

import Foundation
import TensorCore
import TestSupport
import Testing

@testable import SafeTensors

@Suite struct SafeTensorsHeaderOnlyTests {
  @Test func headerOnlyReadMatchesTheWholeFileRead() throws {
    let folder = try makeTemporaryFolder("header-only")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/model.safetensors"
    try SafeTensors.write(
      [("a", Tensor(zeros: [2, 3])), ("b", Tensor(zeros: [0, 5])), ("c", Tensor(shape: [], values: [1]))],
      metadata: ["format": "x"], to: path)
    let header = try SafeTensors.readHeader(path)
    let file = try SafeTensors.read(path)
    #expect(header.metadata == file.metadata && header.tensors == file.header.tensors)
    #expect(header.shapes == ["a": [2, 3], "b": [0, 5], "c": []])
    #expect(header.fileSize == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
  }

  @Test func headerOnlyReadRefusesWhatTheWholeReadRefuses() throws {
    let folder = try makeTemporaryFolder("header-only")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/model.safetensors"
    try SafeTensors.write([("a", Tensor(zeros: [4]))], to: path)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    // Truncated data (the header says 16 bytes), a truncated header, a short file, and a missing file.
    for (cut, name) in [(bytes.count - 4, "data"), (12, "header"), (5, "short")] {
      let truncated = folder + "/\(name).safetensors"
      try bytes.prefix(cut).write(to: URL(fileURLWithPath: truncated))
      var whole: SafeTensorsError?
      var headerOnly: SafeTensorsError?
      do { _ = try SafeTensors.read(truncated) } catch { whole = error }
      do { _ = try SafeTensors.readHeader(truncated) } catch { headerOnly = error }
      #expect(
        whole != nil && whole == headerOnly,
        "\(name): \(String(describing: whole)) vs \(String(describing: headerOnly))")
    }
    #expect(throws: SafeTensorsError.self) { try SafeTensors.readHeader(folder + "/missing.safetensors") }
    #expect(throws: SafeTensorsError.self) { try SafeTensors.readHeader(folder) }
  }

  @Test func errorsCarryTheirReasonWithoutThePath() {
    let error = SafeTensorsError.tensorNotFound(path: "m.safetensors", tensor: "w")
    #expect(error.path == "m.safetensors" && error.reason == "no tensor named 'w'")
    #expect(error.description == "m.safetensors: no tensor named 'w'")
  }
}
