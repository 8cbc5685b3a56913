// Building an ONNX graph (onnx/onnx.proto, opset 17) from our layers: one node per operation, weights as
// initializers under their state_dict names, fresh value names for the activations.

import Foundation
import ONNXProto
import Translation

/// An ONNX graph under construction: nodes in execution order and the initializers they read.
struct ONNXGraph {
  private(set) var nodes: [Onnx_NodeProto] = []
  private(set) var initializers: [Onnx_TensorProto] = []
  private var counter = 0

  /// Adds a node `op` reading `inputs` and returns its (fresh) output name.
  mutating func add(_ op: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = []) -> String {
    counter += 1
    let output = "\(op.lowercased())_\(counter)"
    var node = Onnx_NodeProto()
    node.opType = op
    node.name = output
    node.input = inputs
    node.output = [output]
    node.attribute = attributes
    nodes.append(node)
    return output
  }

  /// Adds a Float32 initializer named `name` (a state_dict name, or a constant of ours) and returns the name.
  @discardableResult
  mutating func constant(_ name: String, _ tensor: Tensor) -> String {
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dims = tensor.shape.map(Int64.init)
    proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    proto.rawData = littleEndianBytes(tensor.scalars.map(\.bitPattern))
    initializers.append(proto)
    return name
  }

  /// Adds an Int64 initializer (Pad's pads) and returns its name.
  mutating func constant(_ name: String, int64s values: [Int64]) -> String {
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dims = [Int64(values.count)]
    proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
    proto.rawData = littleEndianBytes(values.map { UInt64(bitPattern: $0) })
    initializers.append(proto)
    return name
  }

  /// A fresh initializer name for a constant of ours (no state_dict name).
  mutating func freshName(_ stem: String) -> String {
    counter += 1
    return "\(stem)_\(counter)"
  }
}

/// ONNX raw_data is little-endian.
private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> Data {
  var data = Data(capacity: values.count * MemoryLayout<T>.size)
  for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
  return data
}

/// Attribute constructors (AttributeProto with its type set, as the checker requires).
enum Attribute {
  static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .int
    a.i = Int64(value)
    return a
  }

  static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .ints
    a.ints = values.map(Int64.init)
    return a
  }

  static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .float
    a.f = value
    return a
  }

  static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .string
    a.s = Data(value.utf8)
    return a
  }
}
