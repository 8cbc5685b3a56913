// One description of a model file from its header, for listing and for loading: the kinds (ours, plain
// state_dict, style network), every metadata value it reads checked, and errors that wrap rather than edit.

import Foundation
import TestSupport
import Testing
import TranslationTestSupport

@testable import Translation

@Suite struct ModelDescriptionTests {
  @Test func listingAndLoadingDescribeTheSameFileTheSameWay() throws {
    let folder = try makeTemporaryFolder("describe")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try saveTinyModel(folder + "/ours.safetensors", "day", "night")
    try StyleNetworkFile.save(StyleTransformerNetwork(baseFilters: 4, blocks: 1), to: folder + "/style.safetensors")
    try SafeTensors.write(smallResnet.build().stateDict(), to: folder + "/plain.safetensors")
    for name in ["ours", "style", "plain"] {
      let path = folder + "/\(name).safetensors"
      #expect(try ModelDescription.read(path) == TranslationModel.load(path).modelDescription, "\(name)")
    }
    let style = try ModelDescription.read(folder + "/style.safetensors")
    #expect(style.kind == .style(baseFilters: 4, blocks: 1) && style.summary == "style network, 1 blocks, 4 filters")
    #expect(
      try ModelDescription.read(folder + "/ours.safetensors").kind == .translation(domainA: "day", domainB: "night"))
    #expect(try ModelDescription.read(folder + "/plain.safetensors").kind == .plainGenerator(bothDirections: false))
    // The registry lists the style network too; it knows no domains, so lookups never choose it.
    let registry = try ModelRegistry(folder: folder)
    #expect(registry.models.count == 3 && registry.unusable.isEmpty && registry.pairs == ["day ↔ night"])
  }

  @Test func everyMetadataValueReadIsChecked() throws {
    let folder = try makeTemporaryFolder("describe-bad")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/ours.safetensors"
    try saveTinyModel(path, "day", "night")
    let file = try SafeTensors.read(path)
    let tensors = try file.names.map { ($0, try file.tensor($0)) }
    let bad: [(key: String, value: String, reason: String)] = [
      ("version", "2", "version '2' is not supported"),
      ("domain_b", "day", "two different domains"),
      ("image_size", "-1", "image_size metadata '-1'"),
      ("iterations", "x", "iterations metadata 'x'"),
      ("architecture", "{", "architecture metadata missing or malformed"),
    ]
    for (key, value, reason) in bad {
      var metadata = file.metadata
      metadata[key] = value
      try SafeTensors.write(tensors, metadata: metadata, to: path)
      do {
        _ = try ModelDescription.read(path)
        Issue.record("\(key) = \(value) accepted")
      } catch {
        guard case .unusable(let p, let r) = error else {
          Issue.record("\(error)")
          continue
        }
        #expect(p == path && r.contains(reason) && !r.contains(path), "\(r)")
      }
    }
  }

  @Test func declaredArchitectureMustMatchTheTensors() throws {
    let folder = try makeTemporaryFolder("describe-arch")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/ours.safetensors"
    try saveTinyModel(path, "day", "night")
    let file = try SafeTensors.read(path)
    var metadata = file.metadata
    // More blocks than the tensors hold: refused before a network that size is built.
    metadata["architecture"] = metadata["architecture"]!.replacingOccurrences(of: "\"blocks\":", with: "\"blocks\":4")
    try SafeTensors.write(try file.names.map { ($0, try file.tensor($0)) }, metadata: metadata, to: path)
    do {
      _ = try ModelDescription.read(path)
      Issue.record("accepted")
    } catch {
      #expect(error.reason.contains("architecture metadata says") && error.path == path, "\(error)")
    }
  }

  @Test func unreadableFilesWrapTheSafeTensorsError() throws {
    let folder = try makeTemporaryFolder("describe-unreadable")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/short.safetensors"
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
    #expect(throws: ModelFileError.unreadable(path: path, underlying: .fileTooSmall(path: path, size: 3))) {
      try ModelDescription.read(path)
    }
    #expect(throws: ModelFileError.unreadable(path: path, underlying: .fileTooSmall(path: path, size: 3))) {
      try TranslationModel.load(path)
    }
    let description = ModelFileError.unreadable(path: path, underlying: .fileTooSmall(path: path, size: 3)).description
    #expect(description == "\(path): 3 bytes is too small for a safetensors file (8-byte header length missing)")
  }

  @Test(arguments: [
    GeneratorArchitecture.resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2, norm: .instance, dropout: true,
      padding: .reflect),
    .resnet(inChannels: 1, outChannels: 3, baseFilters: 3, blocks: 0, norm: .batch, dropout: false, padding: .zero),
    .unet(inChannels: 3, outChannels: 1, baseFilters: 2, downsamplings: 5, norm: .batch, dropout: false),
    .unet(inChannels: 3, outChannels: 3, baseFilters: 2, downsamplings: 7, norm: .instance, dropout: true),
  ])
  func convolutionWeightCountIsTheBuiltNetworks(_ architecture: GeneratorArchitecture) {
    let built = architecture.build().stateDict().filter { $0.tensor.rank == 4 }.reduce(0) { $0 + $1.tensor.count }
    #expect(architecture.convolutionWeightCount == built)
  }

  @Test func zeroSizedTensorsCannotDescribeANetworkLargerThanTheFile() throws {
    let folder = try makeTemporaryFolder("describe-zero")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/hollow.safetensors"
    // The real first and last convolutions, but residual blocks of zero-sized tensors.
    let tensors = smallResnet.build().stateDict().map { entry -> (name: String, tensor: Tensor) in
      guard entry.name.contains("conv_block") else { return entry }
      return (entry.name, Tensor(zeros: [entry.tensor.shape[0], 0] + entry.tensor.shape.dropFirst(2)))
    }
    try SafeTensors.write(tensors, to: path)
    do {
      _ = try ModelDescription.read(path)
      Issue.record("accepted")
    } catch {
      #expect(error.reason.contains("less than half"), "\(error)")
    }
  }

  @Test(arguments: [(DiscriminatorKind.basic, 3), (.nLayers, 1), (.nLayers, 2), (.nLayers, 5), (.pixel, 1)])
  func discriminatorWeightCountIsTheBuiltNetworks(_ kind: DiscriminatorKind, _ layers: Int) {
    var c = tinyConfiguration()
    c.discriminator = kind
    c.discriminatorLayers = layers
    let built = c.makeDiscriminator().stateDict().filter { $0.tensor.rank == 4 }.reduce(0) { $0 + $1.tensor.count }
    #expect(discriminatorWeightCount(c, layers: layers) == built)
  }

  /// A run's checkpoint translates as its model will (`eval --model runs/…/checkpoint.safetensors --from A --to B`):
  /// the generator under the method's prefix, the architecture its configuration declares (bilinear included).
  @Test func checkpointsOfEveryMethodDescribeAndBuildTheirGenerators() throws {
    let folder = try makeTemporaryFolder("describe-checkpoints")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let x = Variable(randomTensor([1, 3, 32, 32], seed: 4))  // the tiny U-Net's 5 halvings need 32
    var cycle = tinyConfiguration()
    cycle.generator = .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 1, norm: .instance, dropout: false, padding: .reflect,
      upsampling: .bilinearResizeConvolution)
    var cut = tinyCUTConfiguration(.fastcut)
    cut.generator = cycle.generator
    let cycleGAN = CycleGAN(cycle)
    let contrastive = try CUT(cut)
    let paired = Pix2Pix(tinyPix2PixConfiguration())
    let cases:
      [(name: String, model: any TrainableModel, generators: [any Layer], architecture: GeneratorArchitecture)] = [
        ("cyclegan", cycleGAN, [cycleGAN.generatorAtoB, cycleGAN.generatorBtoA], cycle.generator),
        ("cut", contrastive, [contrastive.generator], cycle.generator),
        ("pix2pix", paired, [paired.generatorAtoB], tinyPix2PixConfiguration().generator),
      ]
    for (name, model, generators, architecture) in cases {
      let path = folder + "/\(name).safetensors"
      try model.saveCheckpoint(to: path, progress: TrainingProgress())
      let loaded = try TranslationModel.load(path)
      #expect(loaded.modelDescription == (try ModelDescription.read(path)), "\(name)")
      #expect(loaded.architecture == architecture, "\(name)")
      #expect(loaded.modelDescription.kind == .plainGenerator(bothDirections: generators.count == 2), "\(name)")
      for (generator, direction) in zip(generators, [Direction.aToB, .bToA]) {
        let built = try loaded.generator(direction)
        let (ours, theirs) = LayerMode.inference { (built(x).value, generator(x).value) }
        #expect(maxAbsDifference(ours, theirs) == 0, "\(name) \(direction)")
      }
    }
  }
}
