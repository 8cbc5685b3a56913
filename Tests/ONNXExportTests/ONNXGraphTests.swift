// The exported graphs decoded back with swift-protobuf: opset, dynamic sizes, the operators each generator
// needs (and none it does not: no Dropout), initializers under junyanz's state_dict names.

import Foundation
import ONNXExport
import ONNXProto
import TestSupport
import Testing
import Translation
import TranslationTestSupport

/// Tiny generators covering every exported layer: ResNet with its four ways up, a U-Net with batch norm and
/// dropout (removed at inference).
let exportedArchitectures: [(name: String, architecture: GeneratorArchitecture)] = [
  (
    "resnet_transposed",
    .resnet(inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2, norm: .instance, dropout: true, padding: .reflect)
  ),
  (
    "resnet_resize_convolution",
    .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2, norm: .instance, dropout: false, padding: .reflect,
      upsampling: .resizeConvolution)
  ),
  (
    "resnet_bilinear_resize_convolution",
    .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 1, norm: .instance, dropout: false, padding: .reflect,
      upsampling: .bilinearResizeConvolution)
  ),
  (
    "unet_batch_dropout",
    .unet(inChannels: 3, outChannels: 2, baseFilters: 2, downsamplings: 5, norm: .batch, dropout: true)
  ),
  (
    "resnet_colour_transform",
    .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 1, norm: .instance, dropout: false, padding: .reflect,
      upsampling: .colourTransform)
  ),
]

func exported(_ architecture: GeneratorArchitecture) throws -> (Onnx_ModelProto, any Layer) {
  let generator = randomGenerator(architecture, seed: 29, gain: 0.2)
  let model = try ONNXExporter.model(
    of: generator, inChannels: architecture.inChannels, outChannels: architecture.outChannels, name: "test")
  return (try Onnx_ModelProto(serializedBytes: try model.serializedData()), generator)
}

@Suite struct ONNXGraphTests {
  @Test func resnetGraphHasDynamicSizesAndJunyanzNames() throws {
    let (model, generator) = try exported(exportedArchitectures[0].architecture)
    #expect(model.opsetImport.map(\.version) == [17])
    #expect(model.irVersion == 8)
    let dims = model.graph.input[0].type.tensorType.shape.dim
    #expect(dims.map(\.dimParam) == ["batch", "", "height", "width"] && dims[1].dimValue == 3)
    let ops = Set(model.graph.node.map(\.opType))
    #expect(ops == ["Pad", "Conv", "InstanceNormalization", "Relu", "Add", "ConvTranspose", "Tanh"])
    let names = Set(model.graph.initializer.map(\.name))
    for (name, _) in generator.stateDict() { #expect(names.contains(name), "\(name)") }
    #expect(model.graph.node.last?.output == ["output"])
    let pads = model.graph.node.filter { $0.opType == "Pad" }.flatMap(\.attribute).map {
      String(decoding: $0.s, as: UTF8.self)
    }
    #expect(Set(pads) == ["reflect"])
  }

  @Test func resizeConvolutionAndUnetUseTheirOperators() throws {
    let resize = Set(try exported(exportedArchitectures[1].architecture).0.graph.node.map(\.opType))
    #expect(resize.contains("Resize") && !resize.contains("ConvTranspose"))
    let unet = Set(try exported(exportedArchitectures[3].architecture).0.graph.node.map(\.opType))
    #expect(unet == ["Conv", "LeakyRelu", "BatchNormalization", "Relu", "ConvTranspose", "Concat", "Tanh"])
    let colour = Set(try exported(exportedArchitectures[4].architecture).0.graph.node.map(\.opType))
    #expect(colour.isSuperset(of: ["Resize", "Mul", "ReduceSum", "Tanh"]) && !colour.contains("ConvTranspose"))
  }

  @Test func refusesNetworksWithoutAnONNXForm() {
    let style = StyleTransformerNetwork(baseFilters: 4, blocks: 1)
    #expect(throws: ONNXExportError.self) {
      try ONNXExporter.model(of: style, inChannels: 3, outChannels: 3, name: "style")
    }
  }
}
