// Writing then reading safetensors files: values, names, order, metadata, padding, atomic replacement, errors.

import Foundation
import TensorCore
import TestSupport
import Testing

@testable import SafeTensors

@Suite struct SafeTensorsRoundTripTests {
  @Test func roundTripKeepsNamesOrderShapesBitsAndMetadata() throws {
    let folder = try makeTemporaryFolder("safetensors")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var rng = SeededGenerator(seed: 7)
    let big = Tensor(shape: [3, 100_001]) { buffer in  // several staging chunks, odd size
      for i in buffer.indices { buffer[i] = Float(rng.nextNormal()) }
    }
    let tensors: [(name: String, tensor: Tensor)] = [
      (
        "model.10.conv_block.5.weight",
        Tensor(shape: [2, 1, 3], values: [-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 3])
      ),
      ("scalar", Tensor(shape: [], values: [42])),
      ("empty", Tensor(zeros: [0, 3])),
      ("big", big),
      ("naïve \"quoted\"\n\u{1}", Tensor(shape: [1], values: [5])),
    ]
    let metadata = ["format": "translate-test", "note": "ünïcode \"quotes\" \\ and\nnewline"]
    let path = folder + "/model.safetensors"
    try SafeTensors.write(tensors, metadata: metadata, to: path)

    let file = try SafeTensors.read(path)
    #expect(file.names == tensors.map(\.name))
    #expect(file.metadata == metadata)
    #expect(file.path == path)
    for (name, tensor) in tensors {
      let read = try file.tensor(name)
      #expect(read == tensor, "\(name)")  // Tensor == compares bits: -0, NaN and subnormals survive
      #expect(file.info(name)?.dtype == "F32")
    }
    #expect(file.tensors.count == tensors.count)
  }

  @Test func headerIsPaddedWithSpacesToAMultipleOf8() throws {
    for nameLength in 1...9 {
      let bytes = try SafeTensors.headerBytes(
        [(String(repeating: "x", count: nameLength), Tensor(shape: [1], values: [1]))], metadata: [:], path: "p")
      let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
      #expect(length % 8 == 0 && length == bytes.count - 8)
      #expect(bytes[8] == UInt8(ascii: "{"))
      let text = String(decoding: bytes[8...], as: UTF8.self)
      #expect(text.trimmingCharacters(in: .whitespaces).hasSuffix("}"))
    }
  }

  @Test func writeReplacesTheFileAndLeavesNoTemporaryFiles() throws {
    let folder = try makeTemporaryFolder("safetensors")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/m.safetensors"
    try SafeTensors.write([("a", Tensor(shape: [2], values: [1, 2]))], to: path)
    try SafeTensors.write([("b", Tensor(shape: [1], values: [3]))], to: path)
    #expect(try SafeTensors.read(path).names == ["b"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["m.safetensors"])
  }

  @Test func writeRefusesDuplicateAndReservedNamesBeforeTouchingTheDisk() throws {
    let folder = try makeTemporaryFolder("safetensors")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/m.safetensors"
    let one = Tensor(shape: [1], values: [1])
    #expect(throws: SafeTensorsError.invalidWrite(path: path, tensor: "a", reason: "duplicate name")) {
      try SafeTensors.write([("a", one), ("a", one)], to: path)
    }
    #expect(throws: SafeTensorsError.self) { try SafeTensors.write([("__metadata__", one)], to: path) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func writeIntoAMissingFolderFailsWithTheSystemReason() {
    let path = "/nonexistent-folder-\(UUID().uuidString)/m.safetensors"
    #expect {
      try SafeTensors.write([("a", Tensor(shape: [1], values: [1]))], to: path)
    } throws: { error in
      guard case .cannotWrite(let p, let reason)? = error as? SafeTensorsError else { return false }
      return p == path && reason.contains("No such file")
    }
  }

  @Test func readingAMissingFileOrAFolderFailsWithTheSystemReason() throws {
    let folder = try makeTemporaryFolder("safetensors")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for path in [folder + "/absent.safetensors", folder] {
      #expect {
        _ = try SafeTensors.read(path)
      } throws: { error in
        guard case .cannotRead(let p, _)? = error as? SafeTensorsError else { return false }
        return p == path
      }
    }
  }
}
