// The CUT model beyond parity: feature extraction, F built from the generator's feature shapes, exact resume
// from a checkpoint, the one-generator model file, and a few steps that stay finite.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct CUTTests {
  static func images(seed: UInt64) -> (Tensor, Tensor) {
    // 32×32: the smallest size the 3-layer PatchGAN judges (32 → 16 → 8 → 4 → 3 → 2).
    (randomTensor([1, 3, 32, 32], seed: seed), randomTensor([1, 3, 32, 32], seed: seed + 1))
  }

  static func small(_ mode: CUTMode) -> CUTConfiguration {
    var c = tinyCUTConfiguration(mode)
    c.patches = 24
    c.seed = 9
    return c
  }

  @Test func featuresAreTheSequenceOutputsAndLeaveTheCallUnchanged() throws {
    let model = try CUT(Self.small(.cut))
    let g = model.generator
    let x = Variable(randomTensor([1, 3, 16, 16], seed: 1))
    let features = LayerMode.inference { g.features(x, layers: [0, 4, 8, 12, 16, 99]) }
    #expect(features.map(\.shape) == [[1, 3, 22, 22], [1, 8, 8, 8], [1, 16, 4, 4], [1, 8, 8, 8], [1, 4, 16, 16]])
    // Layer 16 of the full pass computed by hand; layer 8 (a norm) is seen after the in-place ReLU that follows
    // it in taesungp, layer 16 (the last one collected) before.
    let through = { (last: Int) in LayerMode.inference { g.model.layers[0...last].reduce(x) { $1($0) } } }
    #expect(features[4].value == through(16).value)
    #expect(features[2].value == through(9).value && features[2].value != through(8).value)
    #expect(
      model.patchSampler.parameters.map(\.name).prefix(4) == [
        "mlp_0.0.weight", "mlp_0.0.bias", "mlp_0.2.weight", "mlp_0.2.bias",
      ])
    #expect(model.patchSampler.heads.count == 5)
  }

  @Test func drawnPositionsAreDistinctAndClipped() {
    var rng = SeededGenerator(seed: 3)
    let ids = PatchSampler.drawPositions(planes: [100, 10], count: 16, using: &rng)
    #expect(ids[0].count == 16 && Set(ids[0]).count == 16 && ids[0].allSatisfy { (0..<100).contains($0) })
    #expect(ids[1].sorted() == Array(0..<10))
  }

  @Test(arguments: [CUTMode.cut, .fastcut])
  func resumeFromACheckpointContinuesExactly(_ mode: CUTMode) throws {
    let (a, b) = Self.images(seed: 5)
    var model = try CUT(Self.small(mode))
    _ = model.trainingStep(realA: a, realB: b)
    let path = temporaryPath("cut-resume-\(mode.rawValue).safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var progress = TrainingProgress()
    progress.step = 1
    try model.saveCheckpoint(to: path, progress: progress)
    var (resumed, restored) = try CUT.loadCheckpoint(from: path)
    #expect(restored == progress && resumed.configuration == model.configuration && resumed.rng == model.rng)
    for _ in 0..<2 {
      let ours = model.trainingStep(realA: a, realB: b)
      let theirs = resumed.trainingStep(realA: a, realB: b)
      #expect(ours == theirs)
      #expect(ours.nce.isFinite && ours.adversarial.isFinite)
    }
    for ((_, net), (_, other)) in zip(model.networks, resumed.networks) {
      for (x, y) in zip(net.stateDict(), other.stateDict()) { #expect(x.tensor == y.tensor, "\(x.name)") }
    }
  }

  @Test func termsWithWeightZeroAreLeftOut() throws {
    let (a, b) = Self.images(seed: 11)
    var noNCE = Self.small(.cut)
    noNCE.lambdaNCE = 0
    var model = try CUT(noNCE)
    let before = model.rng
    let losses = model.trainingStep(realA: a, realB: b)
    #expect(losses.nce == 0 && losses.identityNCE == 0 && losses.adversarial > 0 && model.rng == before)
    #expect(model.patchSampler.parameters.allSatisfy { $0.variable.grad == nil })
    var noGAN = Self.small(.fastcut)
    noGAN.lambdaGAN = 0
    var other = try CUT(noGAN)
    let only = other.trainingStep(realA: a, realB: b)
    #expect(only.adversarial == 0 && only.nce > 0 && only.discriminatorReal > 0)
  }

  @Test func checkpointOfAnotherFormatIsRefused() throws {
    let path = temporaryPath("cut-not-a-checkpoint.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SafeTensors.write([("x", Tensor(zeros: [1]))], metadata: ["format": "something-else"], to: path)
    #expect(throws: CUTError.self) { try CUT.loadCheckpoint(from: path) }
  }

  @Test func modelFileHoldsTheOneGeneratorAToB() throws {
    let model = try CUT(Self.small(.fastcut))
    let path = temporaryPath("cut-model.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try model.saveModel(to: path, domainA: "day", domainB: "night", imageSize: 16, progress: TrainingProgress())
    let file = try TranslationModel.load(path)
    #expect(file.domainA == "day" && file.domainB == "night" && file.metadata["directions"] == "AtoB")
    #expect(file.metadata["method"] == "fastcut" && file.architecture == model.configuration.generator)
    let description = try ModelDescription.read(path)
    #expect(!file.hasBothDirections && !description.hasBothDirections && description.domainB == "night")
    #expect(throws: ModelFileError.oneDirection(path: path, domainA: "day", domainB: "night")) {
      try file.generator(.bToA)
    }
    #expect(ModelRegistry.direction(of: description, from: "day", to: "night") == .aToB)
    #expect(!description.directions.contains(.bToA))
    let (a, _) = Self.images(seed: 7)
    let loaded = try file.generator(.aToB)
    let y = LayerMode.inference { loaded(Variable(a)).value }
    #expect(y == model.translate(a))
  }

  @Test func unusableConfigurationsAreRefused() {
    var c = CUTConfiguration(mode: .cut)
    c.generator = .preset(.unet128, baseFilters: 2)
    #expect(throws: CUTError.unsupportedGenerator(c.generator.summary)) { try CUT(c) }
    var noLayers = Self.small(.cut)
    noLayers.nceLayers = [40, 99]
    #expect(throws: CUTError.noContrastedLayers([40, 99])) { try CUT(noLayers) }
    var noPatches = Self.small(.fastcut)
    noPatches.patches = 0
    #expect(throws: CUTError.self) { try CUT(noPatches) }
  }

  @Test func fastCUTAndCUTPresetsFollowTaesungp() {
    let (cut, fast) = (CUTConfiguration(mode: .cut), CUTConfiguration(mode: .fastcut))
    #expect(cut.identityNCE && !cut.flipEquivariance && cut.lambdaNCE == 1 && cut.totalEpochs == 400)
    #expect(!fast.identityNCE && fast.flipEquivariance && fast.lambdaNCE == 10 && fast.totalEpochs == 200)
    #expect(
      cut.nceLayers == [0, 4, 8, 12, 16] && cut.patches == 256 && cut.featureWidth == 256 && cut.temperature == 0.07)
  }

  @Test(arguments: [CUTMode.cut, .fastcut])
  func checkpointsNameTheirMethod(_ mode: CUTMode) throws {
    let model = try CUT(Self.small(mode))
    let path = temporaryPath("cut-method-\(mode.rawValue).safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try model.saveCheckpoint(to: path, progress: TrainingProgress())
    #expect(TrainingMethod(checkpointAt: path) == model.configuration.method)
    #expect(model.configuration.method.rawValue == mode.rawValue && !model.configuration.method.paired)
  }

  @Test func lossesAreLoggedUnderTaesungpsNames() throws {
    let (a, b) = Self.images(seed: 13)
    var model = try CUT(Self.small(.cut))
    let losses = model.trainingStep(realA: a, realB: b)
    #expect(CUTLosses.columnNames == ["G_GAN", "D_real", "D_fake", "G", "NCE", "NCE_Y"])
    #expect(
      losses.named.map(\.value) == [
        losses.adversarial, losses.discriminatorReal, losses.discriminatorFake, losses.generator, losses.nce,
        losses.identityNCE,
      ])
    // G is what the generator minimizes: G_GAN plus the mean of the two NCE terms (CUT).
    let expected = losses.adversarial + (losses.nce + losses.identityNCE) * 0.5
    #expect(abs(losses.generator - expected) <= 1e-5 * expected)
  }
}
