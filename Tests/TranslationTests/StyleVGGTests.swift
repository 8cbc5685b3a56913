// Loading VGG feature weights with torchvision's names from a tiny, randomly made safetensors file (real VGG
// layout and names, thin widths; no download).

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct StyleVGGTests {
  /// torchvision's VGG-16 `features` layout (13 convs in blocks of 2, 2, 3, 3, 3) with widths 4…16.
  static func thinVGG16(batchNorm: Bool = false) -> [(name: String, tensor: Tensor)] {
    var rng = SeededGenerator(seed: 3)
    var tensors: [(name: String, tensor: Tensor)] = []
    var (index, inChannels) = (0, 3)
    for (block, convs) in [2, 2, 3, 3, 3].enumerated() {
      let width = [4, 8, 12, 16, 16][block]
      for _ in 0..<convs {
        tensors.append(("features.\(index).weight", Tensor.normal([width, inChannels, 3, 3], std: 0.3, using: &rng)))
        tensors.append(("features.\(index).bias", Tensor.normal([width], std: 0.1, using: &rng)))
        if batchNorm { tensors.append(("features.\(index + 1).running_mean", Tensor(zeros: [width]))) }
        index += 2
        inChannels = width
      }
      index += 1  // max-pool
    }
    tensors.append(("classifier.0.weight", Tensor(zeros: [2, 2])))  // ignored
    return tensors
  }

  @Test(arguments: VGGLayerSet.allCases)
  func loadsTorchvisionNamesAndTapsTheLayerSet(_ set: VGGLayerSet) throws {
    let path = temporaryPath("vgg16.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SafeTensors.write(Self.thinVGG16(), to: path)
    let vgg = try VGGFeatureNetwork(path: path, layers: set)
    let f = vgg.features(Variable(StyleFixtures.content(size: 32)), content: true)
    // relu{b}_{i} of block b has width [4, 8, 12, 16, 16][b − 1] at 32 / 2^(b − 1) pixels.
    let expected = set.styleLayers.map { name -> [Int] in
      let block = Int(String(name.dropFirst(4).prefix(1)))!
      return [1, [4, 8, 12, 16, 16][block - 1], 32 >> (block - 1), 32 >> (block - 1)]
    }
    #expect(f.style.map(\.shape) == expected)
    #expect(f.content?.shape == (set == .gatys ? [1, 16, 4, 4] : [1, 8, 16, 16]))
  }

  @Test func firstLayerAppliesImageNetNormalization() throws {
    // relu1_1 = ReLU(conv(normalize(x))): check one output pixel by hand.
    let tensors = Dictionary(uniqueKeysWithValues: Self.thinVGG16().map { ($0.name, $0.tensor) })
    let vgg = try VGGFeatureNetwork(tensors: tensors, layers: .gatys, source: "memory")
    let x = StyleFixtures.content(size: 32)
    let relu11 = vgg.features(Variable(x), content: false).style[0].value
    let (mean, std): ([Double], [Double]) = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    let (w, b) = (tensors["features.0.weight"]!, tensors["features.0.bias"]!)
    for k in 0..<4 {
      var s = Double(b[k])
      for c in 0..<3 {
        for i in 0..<3 {
          for j in 0..<3 {
            s += Double(w[k, c, i, j]) * ((Double(x[0, c, 9 + i, 9 + j]) + 1) / 2 - mean[c]) / std[c]
          }
        }
      }
      #expect(abs(Double(relu11[0, k, 10, 10]) - max(s, 0)) < 1e-4)
    }
  }

  @Test func rejectsBatchNormVariantsAndMissingLayersNamingTheFile() throws {
    let bn = Dictionary(uniqueKeysWithValues: Self.thinVGG16(batchNorm: true).map { ($0.name, $0.tensor) })
    #expect(
      throws: StyleError.invalidFeatureWeights(
        path: "bn.safetensors", reason: "batch-norm VGG (vgg*_bn) is not supported")
    ) {
      try VGGFeatureNetwork(tensors: bn, layers: .gatys, source: "bn.safetensors")
    }
    // Only the first two blocks: relu3_1 … are missing.
    let short = Dictionary(uniqueKeysWithValues: Self.thinVGG16().prefix(8).map { ($0.name, $0.tensor) })
    #expect(
      throws: StyleError.invalidFeatureWeights(
        path: "short", reason: "layer relu3_1 of the gatys set is not in the file")
    ) {
      try VGGFeatureNetwork(tensors: short, layers: .gatys, source: "short")
    }
    #expect(throws: StyleError.self) { try VGGFeatureNetwork(path: "/nonexistent/vgg.safetensors", layers: .johnson) }
  }
}
