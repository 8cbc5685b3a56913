// The arguments of torch's tensor rebuild functions as the unpickler meets them, checked: a tensor must lie
// inside its storage (or its view), with sizes and strides that cannot overflow.

extension PickleValue {
  /// The text of a str (or of Python 2 bytes read as text).
  var text: String? {
    switch self {
    case .string(let s): s
    case .bytes(let b): String(validating: b, as: UTF8.self)
    default: nil
    }
  }

  func isText(_ expected: String) -> Bool { text == expected }

  /// A tuple of non-negative Ints (a size or stride).
  var sizes: [Int]? {
    guard case .tuple(let items) = self else { return nil }
    var result: [Int] = []
    for item in items {
      guard case .int(let n) = item, n >= 0 else { return nil }
      result.append(n)
    }
    return result
  }
}

extension TensorReference {
  /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])` or
  /// `_rebuild_tensor(storage, offset, size, stride)`, checked to lie inside the storage (or its view).
  init(arguments args: [PickleValue], global: PickleGlobal, path: String) throws(PyTorchFileError) {
    let counts = global == .rebuildTensor ? 4...4 : 6...7
    guard counts.contains(args.count), case .storage(let storage) = args[0], case .int(let offset) = args[1],
      offset >= 0, let shape = args[2].sizes, let strides = args[3].sizes, shape.count == strides.count
    else {
      throw .badCall(
        path: path, callee: global.rawValue,
        reason: "expected (storage, offset, size, stride…) with non-negative integers and matching ranks")
    }
    // At most as many elements as the storage holds: no view of a state_dict repeats elements, and this bounds
    // what converting it allocates by the file's size.
    var count = 1
    for size in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: size)
      guard !overflow, product <= max(storage.window.count, 1) || shape.contains(0) else {
        throw .badStorage(
          path: path, reason: "a tensor of size \(shape) has more elements than storage '\(storage.key)' holds")
      }
      count = product
    }
    // The last element read: offset + Σ (size − 1)·stride, overflow-checked; empty tensors read nothing.
    if !shape.contains(0) {
      var last = offset
      for (size, stride) in zip(shape, strides) {
        let (step, o1) = (size - 1).multipliedReportingOverflow(by: stride)
        let (sum, o2) = last.addingReportingOverflow(step)
        guard !o1, !o2 else { throw .badStorage(path: path, reason: "a tensor's strides overflow") }
        last = sum
      }
      guard last < storage.window.count else {
        throw .badStorage(
          path: path,
          reason: "a tensor of size \(shape) with strides \(strides) at offset \(offset) reads element \(last) "
            + "of storage '\(storage.key)', which holds \(storage.window.count)")
      }
    }
    self.init(storage: storage, offset: offset, shape: shape, strides: strides)
  }
}
