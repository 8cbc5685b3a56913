// junyanz's networks against PyTorch: fixtures (scripts/make_fixtures.py) hold a state_dict under junyanz's
// names, an input and PyTorch's output. The architecture is detected from the keys, the weights loaded by
// name, and our output must match within 1e-4 absolute.

import Foundation
import TestSupport
import Testing
import Translation

func networkFixture(_ name: String) throws -> SafeTensorsFile {
  try SafeTensors.read(fixturePath("TranslationTests", "\(name).safetensors"))
}

/// The state_dict part of a fixture (everything but input and output).
func weights(_ f: SafeTensorsFile) -> [String: Tensor] {
  f.tensors.filter { $0.key != "input" && $0.key != "output" }
}

@Suite struct PyTorchNetworkTests {
  @Test(arguments: [
    (
      "resnet6_ngf4",
      GeneratorArchitecture.resnet(
        inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 6,
        norm: .instance, dropout: false, padding: .reflect)
    ),
    (
      "resnet9_ngf4_dropout",
      .resnet(
        inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 9, norm: .instance,
        dropout: true, padding: .reflect)
    ),
    (
      "unet128_ngf2_nc1",
      .unet(
        inChannels: 1, outChannels: 1, baseFilters: 2, downsamplings: 7, norm: .instance,
        dropout: false)
    ),
  ])
  func generatorMatchesPyTorch(_ name: String, _ expected: GeneratorArchitecture) throws {
    let f = try networkFixture(name)
    let w = weights(f)
    let architecture = try GeneratorArchitecture.detect(w.mapValues(\.shape), source: name)
    #expect(architecture == expected)
    let generator = architecture.build()
    try generator.load(w, source: name)
    let y = try LayerMode.inference { generator(Variable(try f.tensor("input"))) }
    let d = maxAbsDifference(y.value, try f.tensor("output"))
    if ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil { print("fixture \(name): max |Δ| = \(d)") }
    #expect(d < 1e-4, "\(name): max |Δ| = \(d)")
  }

  @Test func patchGANMatchesPyTorch() throws {
    let f = try networkFixture("patchgan_ndf8")
    let d = NLayerDiscriminator(inChannels: 3, baseFilters: 8, layers: 3, norm: .instance)
    try d.load(weights(f), source: "patchgan_ndf8")
    let y = try LayerMode.inference { d(Variable(try f.tensor("input"))) }
    #expect(y.shape == [2, 1, 6, 6])
    let difference = maxAbsDifference(y.value, try f.tensor("output"))
    if ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil {
      print("fixture patchgan: max |Δ| = \(difference)")
    }
    #expect(difference < 1e-4)
  }

  @Test func parameterCountsMatchTheReference() {
    #expect(ResnetGenerator(baseFilters: 64, blocks: 9).parameterCount == 11_378_179)
    #expect(NLayerDiscriminator(inChannels: 3, baseFilters: 64, layers: 3, norm: .instance).parameterCount == 2_764_737)
  }

  @Test func resnetNamesFollowJunyanz() {
    let names = Set(ResnetGenerator(baseFilters: 8, blocks: 9, dropout: true).parameters.map(\.name))
    for n in [
      "model.1.weight", "model.1.bias", "model.4.weight", "model.7.weight", "model.10.conv_block.1.weight",
      "model.10.conv_block.6.weight", "model.18.conv_block.6.bias", "model.19.weight", "model.22.weight",
      "model.26.weight", "model.26.bias",
    ] {
      #expect(names.contains(n), "\(n)")
    }
    #expect(!names.contains("model.10.conv_block.5.weight"))
  }

  @Test func loadingReportsMissingUnexpectedAndMisshapenTensorsByName() throws {
    let f = try networkFixture("resnet6_ngf4")
    var w = weights(f)
    w["model.1.weight"] = nil
    w["model.4.weight"] = Tensor(zeros: [1, 2, 3, 3])
    w["model.99.weight"] = Tensor(zeros: [1])
    w["model.2.running_mean"] = Tensor(zeros: [4])  // stale InstanceNorm statistics: ignored
    let g = ResnetGenerator(baseFilters: 4, blocks: 6)
    #expect(throws: StateDictError.self) { try g.load(w, source: "bad.safetensors") }
    do {
      try g.load(w, source: "bad.safetensors")
    } catch {
      #expect(error.missing == ["model.1.weight"])
      #expect(error.unexpected == ["model.99.weight"])
      #expect(error.wrongShapes.map(\.name) == ["model.4.weight"])
      #expect(error.description.hasPrefix("bad.safetensors: "))
    }
  }

  @Test func detectionRejectsADiscriminator() throws {
    let f = try networkFixture("patchgan_ndf8")
    #expect(throws: ArchitectureDetectionError.self) {
      try GeneratorArchitecture.detect(weights(f).mapValues(\.shape), source: "patchgan")
    }
  }
}
