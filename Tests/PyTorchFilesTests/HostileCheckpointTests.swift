// Hostile and damaged checkpoints are refused with an error naming the file and the reason, never a crash:
// the hand-written pickles of scripts/make_pth_fixtures.py, every truncation of real files, flipped bytes,
// and pickles built here opcode by opcode.

import Foundation
import PyTorchFiles
import TensorCore
import TestSupport
import Testing

/// The error reading `bytes` throws (nil when it reads).
func refusal(_ bytes: [UInt8], _ path: String = "t.pth") -> PyTorchFileError? {
  do {
    _ = try PyTorchCheckpoint.read(bytes: bytes, path: path)
    return nil
  } catch { return error }
}

/// A legacy stream around `object` (a pickle body without PROTO/STOP): magic, protocol, sys_info, the object.
func legacy(_ object: [UInt8]) -> [UInt8] {
  let magic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
  let version: [UInt8] = [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]  // BININT2 1001
  let info: [UInt8] = [0x80, 0x02, 0x7D, 0x2E]  // {}
  return magic + version + info + [0x80, 0x02] + object + [0x2E] + [0x80, 0x02, 0x5D, 0x2E]  // object, keys []
}

@Suite struct HostileCheckpointTests {
  @Test(arguments: ["hostile_posix_system.pth", "hostile_posix_system_legacy.pth"])
  func refusesPosixSystemByName(_ file: String) {
    #expect(throws: PyTorchFileError.forbiddenGlobal(path: pth(file), module: "posix", name: "system")) {
      try PyTorchCheckpoint.read(pth(file))
    }
  }

  @Test func refusesEvalByName() throws {
    let error = try #require(
      refusal(Array(try Data(contentsOf: URL(fileURLWithPath: pth("hostile_builtins_eval.pth")))), "e.pth"))
    #expect(error == .forbiddenGlobal(path: "e.pth", module: "builtins", name: "eval"))
    #expect(error.description.contains("e.pth") && error.description.contains("builtins.eval"))
  }

  @Test(arguments: ["hostile_offset.pth", "hostile_short_storage.pth"])
  func refusesViewsOutsideTheirStorage(_ file: String) throws {
    do {
      _ = try PyTorchCheckpoint.read(pth(file))
      Issue.record("\(file) was read")
    } catch {
      guard case .badStorage(let path, let reason) = error else {
        Issue.record("\(file): \(error)")
        return
      }
      #expect(path == pth(file))
      #expect(reason.contains("storage '0'"), "\(reason)")
    }
  }

  @Test(arguments: ["resnet_zip_f32.pth", "resnet_legacy_f32.pth", "resnet_views_legacy.pth"])
  func everyTruncationIsRefused(_ file: String) throws {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: pth(file))))
    #expect(refusal(bytes) == nil)
    var cut = 0
    while cut < bytes.count {
      #expect(refusal(Array(bytes[..<cut])) != nil, "\(file) cut at \(cut) was read")
      cut += cut < 512 ? 1 : 97
    }
  }

  @Test func flippedBytesNeverCrash() throws {
    var rng = SeededGenerator(seed: 13)
    var refused = 0
    for file in ["resnet_zip_f32.pth", "resnet_legacy_f32.pth"] {
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: pth(file))))
      for _ in 0..<300 {
        var damaged = bytes
        for _ in 0..<4 {
          damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
        }
        if let checkpoint = try? PyTorchCheckpoint.read(bytes: damaged, path: "f.pth") {
          for name in checkpoint.names { _ = checkpoint.values(name) }
        } else {
          refused += 1
        }
      }
    }
    #expect(refused > 0)  // flips in the pickle or the zip directory are noticed
  }

  @Test func refusesCodeBuildingOpcodes() {
    // INST 'os\nsystem\n', NEWOBJ, EXT1 and protocol-0 text ints: refused by byte, naming the offset.
    for (opcode, body) in [
      (0x69, Array("ios\nsystem\n".utf8)), (0x81, [0x81]), (0x82, [0x82, 0x01]), (0x49, Array("I1\n".utf8)),
    ] {
      guard case .forbiddenOpcode(_, _, let found)? = refusal(legacy(body)) else {
        Issue.record("opcode \(opcode) not refused as such")
        continue
      }
      #expect(found == UInt8(opcode))
    }
  }

  @Test func refusesCallingAStorageTypeOrDeepNesting() {
    // torch.FloatStorage(()) — allow-listed as a name, but never callable.
    let call = Array("ctorch\nFloatStorage\n".utf8) + [0x29, 0x52]
    guard case .badCall(_, let callee, _)? = refusal(legacy(call)) else {
      Issue.record("calling a storage type was not refused")
      return
    }
    #expect(callee == "torch.FloatStorage")
    // 100 nested 1-tuples: past the nesting limit.
    let nested = [0x29] + [UInt8](repeating: 0x85, count: 100)
    guard case .malformedPickle(_, _, let reason)? = refusal(legacy(nested)) else {
      Issue.record("deep nesting was not refused")
      return
    }
    #expect(reason.contains("nesting"))
  }

  @Test func aStateDictMustBeADict() {
    // A bare list where the state_dict should be.
    guard case .notAStateDict(_, let reason)? = refusal(legacy([0x5D])) else {
      Issue.record("a list was taken for a state_dict")
      return
    }
    #expect(reason.contains("list"))
    // An empty dict is a (useless) state_dict with no tensors.
    #expect(refusal(legacy([0x7D])) == nil)
  }
}
