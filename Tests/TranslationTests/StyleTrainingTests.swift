// Fast style networks: a tiny training run lowers its loss and writes a model that loads and keeps the input's
// size; the file format is recognized and bad files are refused by name.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct StyleTrainingTests {
  @Test func tinyTrainingRunLowersTheLossAndWritesALoadableModel() throws {
    let folder = temporaryPath("content")
    let (stylePath, modelPath) = (temporaryPath("style.png"), temporaryPath("m.safetensors"))
    defer { for p in [folder, stylePath, modelPath] { try? FileManager.default.removeItem(atPath: p) } }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for i in 0..<3 {
      try ImageWriter.write(Image(tensor: StyleFixtures.content(size: 40 + 4 * i)), to: "\(folder)/c\(i).png")
    }
    try ImageWriter.write(Image(tensor: StyleFixtures.style(size: 32)), to: stylePath)

    var c = StyleTrainingConfiguration(preset: .quick)
    (c.size, c.iterations, c.batchSize, c.baseFilters, c.blocks) = (32, 40, 2, 4, 1)
    c.learningRate = 1e-2
    c.features = .random(seed: 2)
    let history = try FastStyleTraining.train(
      stylePath: stylePath, contentFolder: folder, outputPath: modelPath,
      configuration: c)
    let mean = { (steps: ArraySlice<StyleTrainingStep>) in steps.map(\.total).reduce(0, +) / Float(steps.count) }
    let (first, last) = (mean(history.prefix(5)), mean(history.suffix(5)))
    #expect(last < 0.5 * first, "total loss \(first) → \(last)")

    let file = try SafeTensors.read(modelPath)
    #expect(StyleNetworkFile.isStyleModel(metadata: file.metadata))
    #expect(file.metadata["version"] == "1" && file.metadata["base_filters"] == "4" && file.metadata["blocks"] == "1")
    let model = try StyleNetworkFile.load(modelPath)
    // 30×22 is not a multiple of 4: padded inside, cropped back.
    let out = LayerMode.inference { model(Variable(Tensor(repeating: 0.1, shape: [1, 3, 22, 30]))) }
    #expect(out.shape == [1, 3, 22, 30])
    #expect(out.value.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
  }

  @Test func modelFilesRoundTripExactlyAndWrongFilesAreRefused() throws {
    let path = temporaryPath("net.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let net = StyleTransformerNetwork(baseFilters: 2, blocks: 2, seed: 4)
    try StyleNetworkFile.save(net, to: path, extra: ["style": "stripes"])
    let loaded = try StyleNetworkFile.loadNetwork(path)
    let x = Variable(StyleFixtures.content(size: 16))
    #expect(LayerMode.inference { loaded(x).value == net(x).value })

    try SafeTensors.write(net.stateDict(), metadata: ["format": "translate-checkpoint-v1"], to: path)
    #expect(throws: StyleError.invalidStyleModel(path: path, reason: "metadata format is \"translate-checkpoint-v1\""))
    {
      try StyleNetworkFile.load(path)
    }
    #expect(!StyleNetworkFile.isStyleModel(metadata: [:]))
  }

  @Test func croppingPadsTheGradientBack() {
    let x = Variable(StyleFixtures.content(size: 10), requiresGrad: true)
    let padded = PaddedToMultiple(Identity(), multiple: 4)
    #expect(padded(x).value == x.value)
    sum(padded(x)).backward()
    #expect(x.grad!.scalars.allSatisfy { $0 == 1 })
  }
}
