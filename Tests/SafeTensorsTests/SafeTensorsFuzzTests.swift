// Fuzz-style robustness: seeded random mutations of valid files must give a value or a SafeTensorsError, never
// a crash or an out-of-bounds read (run under ASan with `-sanitize=address` for the strongest form of this test).

import TensorCore
import TestSupport
import Testing

@testable import SafeTensors

@Suite struct SafeTensorsFuzzTests {
  /// Bytes that steer mutations into interesting JSON and length states.
  static let interesting: [UInt8] = Array("{}[]\",:-0123456789eE.\\u ".utf8) + [0, 0x7F, 0x80, 0xC3, 0xFF]

  /// Seed files: one from our writer, one from PyTorch, one hand-built with metadata, empty and I64 tensors.
  static func seeds() throws -> [[UInt8]] {
    let ours =
      try SafeTensors.headerBytes(
        [("w", Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])), ("b", Tensor(shape: [], values: [7]))],
        metadata: ["format": "x"], path: "seed") + floatBytes([1, 2, 3, 4, 5, 6, 7])
    let header =
      #"{"__metadata__":{"k":"v"},"e":{"dtype":"BF16","shape":[0],"data_offsets":[0,0]},"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[2],"data_offsets":[8,12]}}"#
    let crafted = makeSafeTensors(header: header, data: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0x3C, 0, 0xC0])
    let python = try readAllBytes(fixturePath("SafeTensorsTests", "dtypes.safetensors"))
    return [ours, crafted, python]
  }

  static func readAllBytes(_ path: String) throws -> [UInt8] {
    let file = try SafeTensors.readWholeFile(path)
    return Array(file.bytes)
  }

  /// Applies one to four random edits: bit flips, interesting bytes, truncation, insertion, deletion, length edits.
  static func mutate(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      guard !bytes.isEmpty else { return bytes }
      let i = Int.random(in: 0..<bytes.count, using: &rng)
      switch Int.random(in: 0..<7, using: &rng) {
      case 0: bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
      case 1: bytes[i] = interesting.randomElement(using: &rng) ?? 0
      case 2: bytes.removeSubrange(i...)
      case 3: bytes.insert(interesting.randomElement(using: &rng) ?? 0, at: i)
      case 4: bytes.remove(at: i)
      case 5 where bytes.count >= 8:  // nudge the header length
        var length = bytes.prefix(8).enumerated().reduce(UInt64(0)) {
          $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        length = length &+ UInt64(bitPattern: Int64.random(in: -9...9, using: &rng))
        for k in 0..<8 { bytes[k] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(k))) }
      default:  // duplicate a slice of the header in place
        let j = min(bytes.count, i + Int.random(in: 1...24, using: &rng))
        bytes.insert(contentsOf: Array(bytes[i..<j]), at: j)
      }
    }
    return bytes
  }

  /// Keeps the header length consistent after editing the header text, so mutations reach the deeper checks.
  static func mutateHeaderText(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
    let length = input.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    guard length > 0, length <= input.count - 8 else { return input }
    let text = mutate(Array(input[8..<(8 + length)]), &rng)
    return makeSafeTensors(header: "", length: UInt64(text.count))  // just the 8-byte length + text
      + input[(8 + length)...]
  }

  /// Reads `bytes` and, when that succeeds, converts every tensor: only SafeTensorsError may come out.
  static func exercise(_ bytes: [UInt8]) -> Bool {
    do {
      let file = try SafeTensors.read(data: bytes, path: "fuzz", skippingUnsupportedDTypes: true)
      var elements = 0
      for (_, tensor) in file.tensors { elements += tensor.count }
      for name in file.names where file.info(name)?.dtype == "I64" { _ = try file.int64s(name) }
      return elements >= 0
    } catch is SafeTensorsError {
      return false
    } catch {
      Issue.record("non-SafeTensorsError: \(error)")
      return false
    }
  }

  @Test func randomMutationsNeverCrash() throws {
    var rng = SeededGenerator(seed: 2024)
    var accepted = 0
    var rejected = 0
    for seed in try Self.seeds() {
      #expect(Self.exercise(seed))
      for round in 0..<6000 {
        let mutated = round.isMultiple(of: 2) ? Self.mutate(seed, &rng) : Self.mutateHeaderText(seed, &rng)
        if Self.exercise(mutated) { accepted += 1 } else { rejected += 1 }
      }
    }
    #expect(rejected > 0 && accepted > 0, "accepted \(accepted), rejected \(rejected)")
  }

  @Test func everyTruncationOfAValidFileIsRejectedCleanly() throws {
    for seed in try Self.seeds() {
      for cut in 0..<seed.count {
        #expect(!Self.exercise(Array(seed.prefix(cut))), "prefix \(cut) of \(seed.count) bytes was accepted")
      }
    }
  }
}
