// The .pth reader on torch.save's own files (scripts/make_pth_fixtures.py): both layouts, F32/F16/BF16,
// strided and offset views, give the same state_dict; hand-made pickles pin the opcode semantics.

import Foundation
import PyTorchFiles
import TestSupport
import Testing

func pth(_ name: String) -> String { fixturePath("PyTorchFilesTests", name) }

func read(_ name: String) throws -> PyTorchCheckpoint { try PyTorchCheckpoint.read(pth(name)) }

/// Max |a − b| over two equally long arrays (infinity when the lengths differ).
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

@Suite struct PyTorchCheckpointTests {
  @Test func zipAndLegacyLayoutsHoldTheSameStateDict() throws {
    let zip = try read("resnet_zip_f32.pth")
    let legacy = try read("resnet_legacy_f32.pth")
    #expect(zip.layout == .zip && legacy.layout == .legacy)
    #expect(zip.names.count == 20 && zip.names == legacy.names)
    #expect(zip.names.first == "model.1.weight")
    #expect(zip.shape("model.1.weight") == [2, 3, 7, 7])
    for name in zip.names {
      #expect(zip.shape(name) == legacy.shape(name))
      #expect(zip.values(name) == legacy.values(name), "\(name)")
      #expect(zip.values(name)?.count == zip.shape(name)?.reduce(1, *))
    }
  }

  @Test(arguments: ["resnet_views.pth", "resnet_views_legacy.pth"])
  func stridedAndOffsetViewsAreGathered(_ file: String) throws {
    let plain = try read("resnet_zip_f32.pth")
    let views = try read(file)
    #expect(views.names == plain.names)
    for name in plain.names { #expect(views.values(name) == plain.values(name), "\(name)") }
  }

  @Test(arguments: ["resnet_zip_f16.pth", "resnet_legacy_f16.pth", "resnet_zip_bf16.pth"])
  func reducedPrecisionConvertsToNearbyFloats(_ file: String) throws {
    let plain = try read("resnet_zip_f32.pth")
    let reduced = try read(file)
    let bf16 = file.contains("bf16")
    #expect(reduced.dtype("model.1.weight") == (bf16 ? .bfloat16 : .float16))
    // Rounding to nearest: half a unit in the last place (2^-11 for F16, 2^-8 for BF16), relative.
    let tolerance: Float = bf16 ? 0x1p-8 : 0x1p-11
    for name in plain.names {
      let a = try #require(plain.values(name))
      let b = try #require(reduced.values(name))
      #expect(a.count == b.count)
      for (x, y) in zip(a, b) { #expect(abs(x - y) <= tolerance * abs(x) + 1e-7, "\(name): \(x) vs \(y)") }
    }
  }

  @Test func moduleNamesAreReadAsStored() throws {
    // The DataParallel prefix is a model-file concern (Translation strips it); the reader keeps names as saved.
    let prefixed = try read("resnet_module_prefix.pth")
    #expect(prefixed.names.allSatisfy { $0.hasPrefix("module.") })
    #expect(prefixed.values("module.model.1.bias") == (try read("resnet_zip_f32.pth")).values("model.1.bias"))
  }

  @Test func handMadeZipWithAnOffsetViewLoads() throws {
    // A 4-float storage [1, 2, 3, 4]; the tensor is 3 elements from offset 1 (written by Python's zipfile).
    let checkpoint = try read("handmade_ok.pth")
    #expect(checkpoint.names == ["w"])
    #expect(checkpoint.values("w") == [2, 3, 4])
  }

  @Test func rejectsFilesThatAreNoCheckpoint() {
    #expect(throws: PyTorchFileError.self) { try PyTorchCheckpoint.read(bytes: Array("hello".utf8), path: "x.pth") }
    #expect(throws: PyTorchFileError.self) { try PyTorchCheckpoint.read(bytes: [], path: "x.pth") }
    #expect(throws: PyTorchFileError.cannotRead(path: "/nonexistent.pth", reason: "No such file or directory")) {
      try PyTorchCheckpoint.read("/nonexistent.pth")
    }
  }

  @Test func sniffingTellsCheckpointsFromSafetensors() throws {
    for file in ["resnet_zip_f32.pth", "resnet_legacy_f32.pth"] {
      let prefix = Array(try Data(contentsOf: URL(fileURLWithPath: pth(file))).prefix(4))
      #expect(PyTorchCheckpoint.looksLikeCheckpoint(prefix: prefix), "\(file)")
    }
    let safetensors = Array(try Data(contentsOf: URL(fileURLWithPath: pth("generators_io.safetensors"))).prefix(4))
    #expect(!PyTorchCheckpoint.looksLikeCheckpoint(prefix: safetensors))
  }
}
