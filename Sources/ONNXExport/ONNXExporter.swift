// `translate export`: one generator of a model file as an ONNX model (opset 17, IR version 8) with dynamic
// batch, height and width, serialized by swift-protobuf from the official onnx.proto and written atomically.

import AtomicFiles
import Foundation
import ONNXProto
import Translation

public enum ONNXExporter {
  /// Opset 17: Pad with a reflect mode as an input-driven op, InstanceNormalization, Resize (opset 13 form).
  public static let opset: Int64 = 17
  /// IR version 8 goes with opset 17 (onnx/docs/Versioning.md).
  public static let irVersion: Int64 = 8

  /// The ONNX model of `generator` (a ResNet or U-Net generator) taking `inChannels` channels: input "input"
  /// (N, C, height, width) → output "output" (N, outChannels, height, width), both Float32.
  public static func model(
    of generator: any Layer, inChannels: Int, outChannels: Int, name: String
  ) throws(ONNXExportError) -> Onnx_ModelProto {
    var graph = ONNXGraph()
    let result = try graph.emit(generator, "input", channels: inChannels, name: "")
    var proto = Onnx_GraphProto()
    proto.name = name
    proto.node = graph.nodes
    proto.initializer = graph.initializers
    proto.input = [valueInfo("input", channels: inChannels)]
    // The last node's output is renamed "output" so that callers find it by a fixed name.
    if var last = proto.node.popLast(), last.output == [result.value] {
      last.output = ["output"]
      proto.node.append(last)
    } else {
      throw .unsupportedLayer("network ending without an operation")
    }
    proto.output = [valueInfo("output", channels: outChannels)]
    var model = Onnx_ModelProto()
    model.irVersion = irVersion
    model.producerName = "translate"
    model.producerVersion = "1"
    model.graph = proto
    var opsetImport = Onnx_OperatorSetIdProto()
    opsetImport.domain = ""
    opsetImport.version = opset
    model.opsetImport = [opsetImport]
    return model
  }

  /// Exports the generator for `direction` of `model` to `path` (atomically).
  public static func export(_ model: TranslationModel, direction: Direction?, to path: String) throws {
    if model.hasBothDirections && direction == nil { throw ModelFileError.directionNeeded(path: model.path) }
    let generator = try model.generator(direction ?? .aToB)
    let architecture = model.architecture
    let proto = try Self.model(
      of: generator, inChannels: architecture.inChannels, outChannels: architecture.outChannels,
      name: "\((model.path as NSString).lastPathComponent) \((direction ?? .aToB).rawValue)")
    let bytes = [UInt8](try proto.serializedData())
    do { try AtomicFile.write(bytes, to: path, synced: true) } catch {
      throw ONNXExportError.cannotWrite(path: path, reason: error.reason)
    }
  }

  /// (batch, channels, height, width) with symbolic batch, height and width.
  private static func valueInfo(_ name: String, channels: Int) -> Onnx_ValueInfoProto {
    var shape = Onnx_TensorShapeProto()
    shape.dim = [
      dimension(symbol: "batch"), dimension(value: channels), dimension(symbol: "height"),
      dimension(symbol: "width"),
    ]
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    tensor.shape = shape
    var type = Onnx_TypeProto()
    type.tensorType = tensor
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type = type
    return info
  }

  private static func dimension(symbol: String) -> Onnx_TensorShapeProto.Dimension {
    var d = Onnx_TensorShapeProto.Dimension()
    d.dimParam = symbol
    return d
  }

  private static func dimension(value: Int) -> Onnx_TensorShapeProto.Dimension {
    var d = Onnx_TensorShapeProto.Dimension()
    d.dimValue = Int64(value)
    return d
  }
}
