// Model lookup from headers only: pairs in either order, the reverse generator, unknown pairs listing what
// exists, plain state_dicts, and files that are no model; model files that do not fit name the problem.

import Foundation
import TestSupport
import Testing
import TranslationTestSupport

@testable import Translation

@Suite struct InferenceRegistryTests {
  @Test func findsEitherDirectionListsPairsAndReportsNonModels() throws {
    let folder = try makeTemporaryFolder("registry")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try saveTinyModel(folder + "/day2night.safetensors", "day", "night", iterations: 10)
    try saveTinyModel(folder + "/day2night_long.safetensors", "day", "night", iterations: 500)
    try saveTinyModel(folder + "/horse2zebra.safetensors", "horse", "zebra")
    try SafeTensors.write(smallResnet.build().stateDict(), to: folder + "/plain.safetensors")
    try Data("not a model".utf8).write(to: URL(fileURLWithPath: folder + "/junk.safetensors"))

    let registry = try ModelRegistry(folder: folder)
    #expect(registry.models.count == 4 && registry.unusable.count == 1)
    #expect(registry.unusable.first?.description.contains("junk.safetensors") == true)
    #expect(registry.pairs == ["day ↔ night", "horse ↔ zebra"])

    let forward = try registry.find(from: "day", to: "night")
    #expect(forward.direction == .aToB && forward.model.path.hasSuffix("day2night_long.safetensors"))
    #expect(forward.model.iterations == 500 && forward.model.imageSize == 64)
    #expect(try registry.find(from: "zebra", to: "horse").direction == .bToA)

    let plain = try #require(registry.models.first { $0.path.hasSuffix("plain.safetensors") })
    #expect(plain.architecture == smallResnet && !plain.hasBothDirections && plain.domainA == nil)

    #expect(
      throws: ModelLookupError.unknownPair(
        from: "cat", to: "dog", searched: [folder],
        available: ["day ↔ night", "horse ↔ zebra"])
    ) {
      try registry.find(from: "cat", to: "dog")
    }
    let message = ModelLookupError.unknownPair(
      from: "cat", to: "dog", searched: [folder], available: registry.pairs
    )
    .description
    #expect(message.contains("day ↔ night") && message.contains("translate train --from cat --to dog"))
  }

  @Test func aMissingFolderIsNamed() {
    #expect(throws: ModelLookupError.folderMissing(path: "/nonexistent/models")) {
      try ModelRegistry(folder: "/nonexistent/models")
    }
  }

  @Test func modelFilesThatDoNotFitNameTheProblem() throws {
    let folder = try makeTemporaryFolder("mismatch")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var tensors = smallResnet.build().stateDict()
    let missing = folder + "/missing.safetensors"
    try SafeTensors.write(tensors.filter { $0.name != "model.10.conv_block.1.weight" }, to: missing)
    #expect(throws: (any Error).self) {
      try ImageTranslator(model: try TranslationModel.load(missing), direction: .aToB)
    }
    do { _ = try TranslationModel.load(missing).generator() } catch { #expect("\(error)".contains("missing")) }

    let i = try #require(tensors.firstIndex { $0.name == "model.10.conv_block.1.weight" })
    tensors[i] = (tensors[i].name, Tensor(zeros: [32, 32, 3, 1]))
    let wrong = folder + "/wrong.safetensors"
    try SafeTensors.write(tensors, to: wrong)
    do { _ = try TranslationModel.load(wrong).generator() } catch { #expect("\(error)".contains("wrong shape")) }

    let other = folder + "/other.safetensors"
    try SafeTensors.write([("encoder.weight", Tensor(zeros: [4, 4]))], to: other)
    #expect(throws: (any Error).self) { try ModelDescription.read(other) }
    do { _ = try ModelDescription.read(other) } catch {
      #expect(error.description.contains("not a CycleGAN generator"))
    }
  }
}
