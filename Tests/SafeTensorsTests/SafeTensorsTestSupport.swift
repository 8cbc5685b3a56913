// Helpers for the safetensors tests: hand-built files and error matching (fixture paths and temporary
// folders: TestSupport).

import Foundation
import Testing

@testable import SafeTensors

/// A safetensors file from a header text and data bytes; `length` overrides the header length field.
func makeSafeTensors(header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
  let text = Array(header.utf8)
  var bytes: [UInt8] = []
  withUnsafeBytes(of: (length ?? UInt64(text.count)).littleEndian) { bytes.append(contentsOf: $0) }
  return bytes + text + data
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
