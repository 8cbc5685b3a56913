// Helpers for the safetensors tests: fixture paths, hand-built files, temporary folders and error matching.

import Foundation
import Testing

@testable import SafeTensors

/// Path of a fixture in this test target's `Fixtures/` folder (found from the source file, no bundle needed).
func nnFixturePath(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// Path of a fixture in another test target's `Fixtures/` folder, e.g. `("TensorCoreTests", "chain.safetensors")`.
func testsFixturePath(_ target: String, _ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("\(target)/Fixtures/\(name)").path
}

/// A safetensors file from a header text and data bytes; `length` overrides the header length field.
func makeSafeTensors(header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
  let text = Array(header.utf8)
  var bytes: [UInt8] = []
  withUnsafeBytes(of: (length ?? UInt64(text.count)).littleEndian) { bytes.append(contentsOf: $0) }
  return bytes + text + data
}

/// A fresh empty folder under the system's temporary directory; the caller removes it.
func makeTemporaryFolder() throws -> String {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

/// Reads `bytes` under the label `path` and returns the error it throws (nil if it reads fine).
func readError(_ bytes: [UInt8], path: String = "crafted.safetensors") -> SafeTensorsError? {
  do {
    _ = try SafeTensors.read(data: bytes, path: path)
    return nil
  } catch {
    return error  // typed: reading throws only SafeTensorsError
  }
}

/// Little-endian bytes of Float32 values.
func floatBytes(_ values: [Float]) -> [UInt8] {
  values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}
