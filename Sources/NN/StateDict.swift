// Moving weights between layers and PyTorch-named tensors (state_dict semantics, strict by default):
// every missing key, unexpected key and shape mismatch is reported by name, in one error.

/// Why a state_dict did not fit a layer.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
  public let source: String
  public var missing: [String] = []
  public var unexpected: [String] = []
  /// (name, the layer's shape, the file's shape)
  public var wrongShapes: [WrongShape] = []

  public struct WrongShape: Equatable, Sendable {
    public let name: String, expected: [Int], found: [Int]
  }

  public var description: String { "\(source): \(reason)" }

  /// What does not fit, without the source (for callers that wrap the error under their own file name).
  public var reason: String {
    var parts: [String] = []
    if !missing.isEmpty { parts.append("missing \(missing.count) tensor(s): \(list(missing))") }
    if !unexpected.isEmpty { parts.append("unexpected \(unexpected.count) tensor(s): \(list(unexpected))") }
    if !wrongShapes.isEmpty {
      parts.append(
        "wrong shape: "
          + wrongShapes.prefix(6).map { "\($0.name) is \($0.found), expected \($0.expected)" }
          .joined(separator: "; "))
    }
    return parts.joined(separator: "; ")
  }

  private func list(_ names: [String]) -> String {
    names.prefix(6).joined(separator: ", ") + (names.count > 6 ? ", …" : "")
  }
}

/// Keys junyanz's released CycleGAN checkpoints carry for InstanceNorm layers saved by old PyTorch versions
/// (running statistics of a layer that has none); ignored on load, as junyanz's own loader does.
public func isStaleNormStatistic(_ name: String) -> Bool {
  name.hasSuffix(".running_mean") || name.hasSuffix(".running_var") || name.hasSuffix(".num_batches_tracked")
}

extension Layer {
  /// The layer's parameters and buffers as (state_dict name, tensor), in registration order.
  public func stateDict(prefix: String = "") -> [(name: String, tensor: Tensor)] {
    stateVariables.map { (prefix.isEmpty ? $0.name : "\(prefix).\($0.name)", $0.variable.value) }
  }

  /// Copies `tensors[prefix + name]` into every parameter and buffer. Keys outside `prefix` are not this
  /// layer's and are left alone; within it, unexpected keys are errors except stale norm statistics.
  /// Nothing is changed unless everything fits.
  public func load(_ tensors: [String: Tensor], prefix: String = "", source: String) throws(StateDictError) {
    let full = { (name: String) in prefix.isEmpty ? name : "\(prefix).\(name)" }
    var error = StateDictError(source: source)
    let variables = stateVariables
    let expected = Set(variables.map { full($0.name) })
    for v in variables {
      guard let t = tensors[full(v.name)] else {
        error.missing.append(full(v.name))
        continue
      }
      if t.shape != v.variable.shape {
        error.wrongShapes.append(.init(name: full(v.name), expected: v.variable.shape, found: t.shape))
      }
    }
    let scope = prefix.isEmpty ? "" : prefix + "."
    error.unexpected = tensors.keys
      .filter { $0.hasPrefix(scope) && !expected.contains($0) && !isStaleNormStatistic($0) }.sorted()
    guard error.missing.isEmpty && error.unexpected.isEmpty && error.wrongShapes.isEmpty else { throw error }
    for v in variables { v.variable.value = tensors[full(v.name)]! }
  }
}
