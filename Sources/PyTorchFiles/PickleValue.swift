// The values our restricted unpickler builds: Python's data types that torch.save of a state_dict uses, plus
// the three things its allow-listed globals stand for (a storage reference, a tensor view, an OrderedDict).
// Nothing here can hold code; the globals are an enum, never a looked-up callable.

/// The globals a state_dict pickle may name (torch/_utils.py, torch/serialization.py); any other is refused.
public enum PickleGlobal: String, Sendable, CaseIterable {
  case orderedDict = "collections.OrderedDict"
  /// _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).
  case rebuildTensorV2 = "torch._utils._rebuild_tensor_v2"
  /// _rebuild_tensor(storage, storage_offset, size, stride): PyTorch before 0.4.
  case rebuildTensor = "torch._utils._rebuild_tensor"
  /// _rebuild_parameter(data, requires_grad, backward_hooks): an nn.Parameter saved whole.
  case rebuildParameter = "torch._utils._rebuild_parameter"
  case floatStorage = "torch.FloatStorage"
  case halfStorage = "torch.HalfStorage"
  case bfloat16Storage = "torch.BFloat16Storage"
  case longStorage = "torch.LongStorage"

  /// The element type of a storage class; nil for the functions and OrderedDict.
  var storageDType: StorageDType? {
    switch self {
    case .floatStorage: .float32
    case .halfStorage: .float16
    case .bfloat16Storage: .bfloat16
    case .longStorage: .int64
    case .orderedDict, .rebuildTensorV2, .rebuildTensor, .rebuildParameter: nil
    }
  }
}

/// A storage named by a pickle's persistent id: which record holds its bytes, its element type and size, and
/// (legacy format) the element range of a view into it.
struct StorageReference: Equatable, Sendable {
  let key: String
  let dtype: StorageDType
  /// Elements of the whole storage.
  let count: Int
  /// The elements this reference sees: 0..<count, or a legacy view's range.
  let window: Range<Int>
}

/// A strided view into a storage: torch's `set_(storage, offset, size, stride)`, offsets and strides in elements.
struct TensorReference: Equatable, Sendable {
  let storage: StorageReference
  let offset: Int
  let shape: [Int]
  let strides: [Int]
}

/// A dict key: state_dicts and their metadata use strings (and, in nested metadata, small integers).
enum PickleKey: Hashable, Sendable {
  case string(String)
  case int(Int)
}

/// An insertion-ordered dict (Python dicts and OrderedDict keep order; so does a state_dict).
struct PickleDict: Sendable {
  private(set) var keys: [PickleKey] = []
  private(set) var values: [PickleValue] = []
  private var index: [PickleKey: Int] = [:]

  /// Sets `key`, replacing its value in place (Python's `d[key] = value`).
  mutating func set(_ key: PickleKey, _ value: PickleValue) {
    if let i = index[key] {
      values[i] = value
    } else {
      index[key] = keys.count
      keys.append(key)
      values.append(value)
    }
  }
}

/// One unpickled value. Containers are values: a memo entry is the container as it was when memoized (Python
/// shares one object); torch.save of a state_dict never refers back to a container it fills afterwards.
indirect enum PickleValue: Sendable {
  case none
  case bool(Bool)
  case int(Int)
  /// An integer beyond 64 bits (the legacy magic number), as little-endian two's-complement bytes.
  case bigInt([UInt8])
  case float(Double)
  case string(String)
  case bytes([UInt8])
  case tuple([PickleValue])
  case list([PickleValue])
  case dict(PickleDict)
  case global(PickleGlobal)
  case storage(StorageReference)
  case tensor(TensorReference)

  /// A short name of the value's kind, for errors (never a dump: values may share subtrees).
  var kind: String {
    switch self {
    case .none: "None"
    case .bool: "bool"
    case .int, .bigInt: "int"
    case .float: "float"
    case .string: "str"
    case .bytes: "bytes"
    case .tuple(let items): "tuple of \(items.count)"
    case .list(let items): "list of \(items.count)"
    case .dict(let d): "dict of \(d.keys.count)"
    case .global(let g): g.rawValue
    case .storage: "storage"
    case .tensor: "tensor"
    }
  }
}
