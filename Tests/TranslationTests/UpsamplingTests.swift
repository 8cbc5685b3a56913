// Our resize-convolution upsampling for ResNet generators (nearest ×2 then a 3×3 convolution, Odena et al.
// 2016) and our colour-transform head beside junyanz's transposed convolutions: layout, file form, detection,
// and no grid on the output.

import Foundation
import TestSupport
import Testing

@testable import Translation

@Suite struct UpsamplingTests {
  static func architecture(_ upsampling: Upsampling) -> GeneratorArchitecture {
    .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 2, norm: .instance, dropout: false, padding: .reflect,
      upsampling: upsampling)
  }

  @Test func resizeConvolutionKeepsTheSizeAndPutsItsConvolutionsOneIndexLater() {
    let generator = Self.architecture(.resizeConvolution).build()
    let y = LayerMode.inference { generator(Variable(randomTensor([1, 3, 20, 28], seed: 1))) }
    #expect(y.shape == [1, 3, 20, 28])
    let shapes = Dictionary(uniqueKeysWithValues: generator.stateDict().map { ($0.name, $0.tensor.shape) })
    // model.12 is the first Upsample (no weights), model.13 its 3×3 convolution 4f → 2f; the output conv is model.21.
    #expect(shapes["model.12.weight"] == nil && shapes["model.13.weight"] == [16, 32, 3, 3])
    #expect(shapes["model.17.weight"] == [8, 16, 3, 3] && shapes["model.21.weight"] == [3, 8, 7, 7])
    // Same convolution weight count as the transposed layout (3×3 kernels 4f→2f→f either way).
    func count(_ layer: any Layer) -> Int { layer.parameters.map { $0.variable.value.count }.reduce(0, +) }
    #expect(count(generator) == count(Self.architecture(.transposed).build()))
  }

  @Test func architectureIsDetectedFromAPlainStateDictEitherWay() throws {
    for upsampling in Upsampling.allCases {
      let generator = Self.architecture(upsampling).build()
      let shapes = Dictionary(uniqueKeysWithValues: generator.stateDict().map { ($0.name, $0.tensor.shape) })
      // Nearest and bilinear resizing have the same weights: a plain state_dict reads as nearest.
      let readable = upsampling == .bilinearResizeConvolution ? .resizeConvolution : upsampling
      #expect(try GeneratorArchitecture.detect(shapes, source: "test") == Self.architecture(readable))
    }
  }

  /// The bilinear variant is the nearest one's layout with a bilinear Upsample: same weights, other pixels.
  @Test func bilinearResizeConvolutionResizesBilinearlyBeforeTheSameConvolution() throws {
    let input = Variable(randomTensor([1, 3, 16, 20], seed: 2))
    let nearest = Self.architecture(.resizeConvolution).build()
    let bilinear = Self.architecture(.bilinearResizeConvolution).build()
    var rng = SeededGenerator(seed: 3)
    initializeWeights(nearest, .normal, gain: 0.02, using: &rng)
    try bilinear.load(Dictionary(uniqueKeysWithValues: nearest.stateDict()), source: "test")
    let (a, b) = LayerMode.inference { (nearest(input).value, bilinear(input).value) }
    #expect(a.shape == b.shape && maxAbsDifference(a, b) > 1e-5, "\(maxAbsDifference(a, b))")
    guard let upsample = (bilinear as? ResnetGenerator)?.model.layers[12] as? Upsample else {
      Issue.record("model.12 is not an Upsample")
      return
    }
    #expect(upsample.mode == .bilinear)
  }

  @Test func modelMetadataNamesTheUpsamplingOnlyWhenItIsOurs() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let transposed = String(decoding: try encoder.encode(Self.architecture(.transposed)), as: UTF8.self)
    // junyanz's layout keeps the exact form files had before the option existed, and such files still decode.
    let before =
      #"{"resnet":{"baseFilters":8,"blocks":2,"dropout":false,"inChannels":3,"norm":"instance","#
      + #""outChannels":3,"padding":"reflect"}}"#
    #expect(transposed == before)
    #expect(
      try JSONDecoder().decode(GeneratorArchitecture.self, from: Data(transposed.utf8))
        == Self.architecture(.transposed))
    let ours = try encoder.encode(Self.architecture(.resizeConvolution))
    #expect(String(decoding: ours, as: UTF8.self).contains(#""upsampling":"resize-convolution""#))
    #expect(try JSONDecoder().decode(GeneratorArchitecture.self, from: ours) == Self.architecture(.resizeConvolution))
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(GeneratorArchitecture.self, from: Data(#"{"resnet":{"upsampling":"bicubic"}}"#.utf8))
    }
  }

  @Test func overridesChooseTheUpsamplingAndCarryItToANewKind() {
    var o = TrainingOverrides()
    o.upsampling = .resizeConvolution
    let (c, _) = TrainingPreset.quick.applying(o)
    guard case .resnet(_, _, let f, let blocks, _, _, _, let upsampling) = c.generator else {
      Issue.record("\(c.generator)")
      return
    }
    #expect(upsampling == .resizeConvolution && f == 16 && blocks == 6)
    var nine = TrainingOverrides()
    nine.generator = .resnet9
    guard case .resnet(_, _, _, _, _, _, _, let kept) = c.applying(nine).generator else { return }
    #expect(kept == .resizeConvolution)
    #expect(
      TrainingPreset.quick.applying(TrainingOverrides()).configuration.generator.summary.contains("resize") == false)
  }

  @Test func colourTransformEndsWithTwelveCoefficientsAtQuarterResolution() {
    let generator = Self.architecture(.colourTransform).build()
    let shapes = Dictionary(uniqueKeysWithValues: generator.stateDict().map { ($0.name, $0.tensor.shape) })
    // model.12 pads, model.13 is the 3×3 convolution 4f → 12; nothing after it.
    #expect(shapes["model.13.weight"] == [12, 32, 3, 3] && shapes["model.13.bias"] == [12])
    #expect(!shapes.keys.contains { $0.hasPrefix("model.14.") })
    guard let resnet = generator as? ResnetGenerator else { return }
    let x = Variable(randomTensor([1, 3, 20, 28], seed: 4))
    let (coefficients, y) = LayerMode.inference { (resnet.model(x).value, generator(x).value) }
    #expect(coefficients.shape == [1, 12, 5, 7] && y.shape == [1, 3, 20, 28])
    func count(_ layer: any Layer) -> Int { layer.parameters.map { $0.variable.value.count }.reduce(0, +) }
    #expect(count(generator) < count(Self.architecture(.transposed).build()))
    #expect(
      Self.architecture(.colourTransform).summary.contains(
        "resnet 2 blocks, 8 filters, instance norm, colour-transform head"))
  }

  /// With zero coefficients the head is tanh of the input, pixel for pixel: the network only moves colours.
  @Test func colourTransformWithZeroCoefficientsIsTanhOfTheInput() throws {
    let generator = Self.architecture(.colourTransform).build()
    var state = Dictionary(uniqueKeysWithValues: generator.stateDict())
    state["model.13.weight"] = Tensor(zeros: [12, 32, 3, 3])
    state["model.13.bias"] = Tensor(zeros: [12])
    try generator.load(state, source: "test")
    let x = randomTensor([2, 3, 8, 12], seed: 5)
    let y = LayerMode.inference { generator(Variable(x)).value }
    #expect(maxAbsDifference(y, x.map { Foundation.tanh($0) }) < 1e-6)
  }

  @Test func colourTransformNeedsThreeChannelsInAndOut() throws {
    let grey: GeneratorArchitecture = .resnet(
      inChannels: 1, outChannels: 3, baseFilters: 8, blocks: 2, norm: .instance, dropout: false, padding: .reflect,
      upsampling: .colourTransform)
    #expect(throws: ArchitectureDetectionError.self) { try grey.checkLimits(source: "test") }
    var shapes = Dictionary(
      uniqueKeysWithValues: Self.architecture(.colourTransform).build().stateDict().map { ($0.name, $0.tensor.shape) })
    shapes["model.1.weight"] = [8, 1, 7, 7]
    #expect(throws: ArchitectureDetectionError.self) { try GeneratorArchitecture.detect(shapes, source: "test") }
  }

  /// An untrained generator already shows the difference: transposed convolutions overlap unevenly, so a smooth
  /// input comes out with the period-2 grid; nearest ×2 + 3×3 convolution leaves none.
  @Test func resizeConvolutionLeavesNoGridWhereTransposedConvolutionDoes() throws {
    var indices: [Upsampling: Double] = [:]
    let (day, _) = DayNightTestScene.pair
    for upsampling in Upsampling.allCases {
      var rng = SeededGenerator(seed: 3)
      let generator = Self.architecture(upsampling).build()
      initializeWeights(generator, .normal, gain: 0.02, using: &rng)
      let y = LayerMode.inference { generator(Variable(Tensor(image: day, channels: 3))).value }
      indices[upsampling] = checkerboardIndex(Image(tensor: y))
    }
    #expect(indices[.transposed, default: 0] > 3 * indices[.resizeConvolution, default: .infinity], "\(indices)")
    #expect(indices[.resizeConvolution, default: .infinity] < 2, "\(indices)")
    #expect(indices[.bilinearResizeConvolution, default: .infinity] < 2, "\(indices)")
    #expect(indices[.colourTransform, default: .infinity] < 2, "\(indices)")
    if ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil {
      print("checkerboard index, untrained: \(indices)")
    }
  }
}

/// A smooth 64×64 test image: gradients and soft shapes, no structure at the grid's periods.
enum DayNightTestScene {
  static let pair: (Image, Image) = {
    var samples: [UInt16] = []
    for y in 0..<64 {
      for x in 0..<64 {
        let (fx, fy) = (Double(x) / 63, Double(y) / 63)
        let blob = exp(-((fx - 0.6) * (fx - 0.6) + (fy - 0.4) * (fy - 0.4)) * 12)
        samples += [UInt16(40 + 150 * fy), UInt16(60 + 120 * fx * (1 - fy)), UInt16(50 + 180 * blob)]
      }
    }
    let image = Image(width: 64, height: 64, channels: 3, bitDepth: 8, samples: samples)
    return (image, image)
  }()
}
