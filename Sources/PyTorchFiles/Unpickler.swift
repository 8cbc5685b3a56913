// A restricted unpickler (CPython Lib/pickle.py's machine, a subset): the binary opcodes torch.save of a
// state_dict writes (protocols 2–5), memo and marks, allow-listed globals only, REDUCE only of the tensor
// rebuild functions and OrderedDict, and torch's persistent ids for storages. Every read is bounds-checked;
// nothing is looked up by name or executed, and nesting is bounded so no walk or deinit can recurse deeply.

/// Which persistent-id tuple a file uses: the zip format's ('storage', type, key, location, numel) or the legacy
/// format's, which adds view metadata (view_key, offset, size) or None.
enum PersistentIDForm { case zip, legacy }

struct Unpickler {
  /// Deeper nesting than this is refused (a state_dict nests 4 levels).
  static let maxDepth = 64
  /// A string or bytes value longer than this is refused (state_dict names are short).
  static let maxTextLength = 1 << 20

  private struct Entry {
    var value: PickleValue
    var depth: Int
  }

  let path: String
  let form: PersistentIDForm
  private let bytes: [UInt8]
  /// Next byte to read; reading stops at `end`.
  private(set) var position: Int
  private let end: Int
  private var stack: [Entry] = []
  private var marks: [Int] = []
  private var memo: [Int: Entry] = [:]
  /// Every storage named so far, by key (the same key must always mean the same storage).
  private(set) var storages: [String: StorageReference] = [:]

  init(bytes: [UInt8], range: Range<Int>, form: PersistentIDForm, path: String) {
    self.bytes = bytes
    self.position = range.lowerBound
    self.end = range.upperBound
    self.form = form
    self.path = path
  }

  /// Runs one pickle from `position` to its STOP and returns the object; `position` is then just past STOP.
  /// The memo and marks start empty for each pickle (as a fresh `pickle.load`); storages accumulate.
  mutating func load() throws(PyTorchFileError) -> PickleValue {
    (stack, marks, memo) = ([], [], [:])
    while true {
      let at = position
      let byte = try readByte()
      guard let op = PickleOpcode(rawValue: byte) else { throw .forbiddenOpcode(path: path, offset: at, opcode: byte) }
      if op == .stop {
        guard let result = stack.popLast(), marks.isEmpty else { throw malformed(at, "STOP with an empty stack") }
        return result.value
      }
      try run(op, at: at)
    }
  }

  private mutating func run(_ op: PickleOpcode, at: Int) throws(PyTorchFileError) {
    switch op {
    case .proto:
      let version = try readByte()
      guard (2...5).contains(version) else { throw malformed(at, "pickle protocol \(version) (2 to 5 supported)") }
    case .frame: _ = try read(8)
    case .stop: break
    case .mark: marks.append(stack.count)
    case .pop: _ = try pop(at)
    case .popMark: _ = try popToMark(at)
    case .dup: try push(try top(at))
    case .none: push(.none)
    case .newTrue: push(.bool(true))
    case .newFalse: push(.bool(false))
    case .binInt: push(.int(Int(Int32(bitPattern: UInt32(try littleEndian(4))))))
    case .binInt1: push(.int(Int(try readByte())))
    case .binInt2: push(.int(Int(try littleEndian(2))))
    case .long1: push(try long(count: Int(try readByte()), at))
    case .long4: push(try long(count: Int(Int32(bitPattern: UInt32(try littleEndian(4)))), at))
    case .binFloat:
      push(.float(Double(bitPattern: try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
    case .binUnicode, .binString: push(try text(count: try littleEndian(4), at))
    case .shortBinUnicode, .shortBinString: push(try text(count: UInt64(try readByte()), at))
    case .binUnicode8: push(try text(count: try littleEndian(8), at))
    case .binBytes: push(.bytes(try read(try length(try littleEndian(4), at))))
    case .shortBinBytes: push(.bytes(try read(Int(try readByte()))))
    case .emptyTuple: push(.tuple([]))
    case .tuple: try pushContainer(try popToMark(at), at) { .tuple($0) }
    case .tuple1, .tuple2, .tuple3:
      let n = Int(op.rawValue - PickleOpcode.tuple1.rawValue) + 1
      guard stack.count - (marks.last ?? 0) >= n else { throw malformed(at, "TUPLE\(n) on a stack of fewer items") }
      let items = Array(stack.suffix(n))
      stack.removeLast(n)
      try pushContainer(items, at) { .tuple($0) }
    case .emptyList: push(.list([]))
    case .list: try pushContainer(try popToMark(at), at) { .list($0) }
    case .append: try append([try pop(at)], at)
    case .appends: try append(try popToMark(at), at)
    case .emptyDict: push(.dict(PickleDict()))
    case .dict:
      let items = try popToMark(at)
      push(.dict(PickleDict()))
      try setItems(items, at)
    case .setItem:
      let value = try pop(at)
      try setItems([try pop(at), value], at)
    case .setItems: try setItems(try popToMark(at), at)
    case .binPut: memo[Int(try readByte())] = try top(at)
    case .longBinPut: memo[Int(try littleEndian(4))] = try top(at)
    case .memoize: memo[memo.count] = try top(at)
    case .binGet: try push(try memoized(Int(try readByte()), at))
    case .longBinGet: try push(try memoized(Int(try littleEndian(4)), at))
    case .global:
      let module = try line(at)
      push(.global(try allowed(module, try line(at))))
    case .stackGlobal:
      guard case .string(let name) = try pop(at).value, case .string(let module) = try pop(at).value else {
        throw malformed(at, "STACK_GLOBAL needs two strings")
      }
      push(.global(try allowed(module, name)))
    case .binPersId: try push(try persistentLoad(try pop(at), at))
    case .reduce:
      let arguments = try pop(at)
      try push(try reduce(try pop(at).value, arguments, at))
    case .build:
      // OrderedDict state (a state_dict's `_metadata` attribute) is dropped; nothing else takes state.
      let state = try pop(at)
      guard case .dict = try top(at).value else {
        throw malformed(at, "BUILD on a \(try top(at).value.kind) (only a state_dict takes attributes)")
      }
      _ = state
    }
  }

  // MARK: Bytes

  private mutating func readByte() throws(PyTorchFileError) -> UInt8 {
    guard position < end else { throw malformed(position, "the pickle ends before its STOP opcode (truncated?)") }
    defer { position += 1 }
    return bytes[position]
  }

  private mutating func read(_ count: Int) throws(PyTorchFileError) -> [UInt8] {
    guard count >= 0, count <= end - position else {
      throw malformed(position, "\(count) bytes needed, \(end - position) left (truncated?)")
    }
    defer { position += count }
    return Array(bytes[position..<(position + count)])
  }

  /// An unsigned little-endian integer of `count` ≤ 8 bytes.
  private mutating func littleEndian(_ count: Int) throws(PyTorchFileError) -> UInt64 {
    try read(count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }

  private func length(_ value: UInt64, _ at: Int) throws(PyTorchFileError) -> Int {
    guard value <= UInt64(Self.maxTextLength) else { throw malformed(at, "a \(value)-byte string or bytes value") }
    return Int(value)
  }

  /// BINUNICODE (UTF-8) and Python 2's BINSTRING (bytes that torch reads as text; ASCII in state_dicts).
  private mutating func text(count: UInt64, _ at: Int) throws(PyTorchFileError) -> PickleValue {
    let raw = try read(try length(count, at))
    guard let string = String(validating: raw, as: UTF8.self) else { throw malformed(at, "a string is not UTF-8") }
    return .string(string)
  }

  /// LONG1/LONG4: little-endian two's complement; up to 8 bytes become an Int.
  private mutating func long(count: Int, _ at: Int) throws(PyTorchFileError) -> PickleValue {
    guard (0...64).contains(count) else { throw malformed(at, "a \(count)-byte integer") }
    let raw = try read(count)
    guard count <= 8 else { return .bigInt(raw) }
    guard let last = raw.last else { return .int(0) }
    let fill: UInt64 = last & 0x80 != 0 ? ~0 : 0
    let bits = raw.reversed().reduce(count == 8 ? 0 : fill) { $0 << 8 | UInt64($1) }
    return .int(Int(Int64(bitPattern: bits)))
  }

  /// GLOBAL's module and name lines: printable, newline-terminated, short.
  private mutating func line(_ at: Int) throws(PyTorchFileError) -> String {
    var raw: [UInt8] = []
    while true {
      let byte = try readByte()
      if byte == 0x0A { break }
      guard raw.count < 256, (0x20..<0x7F).contains(byte) else {
        throw malformed(at, "a GLOBAL name is not a short ASCII line")
      }
      raw.append(byte)
    }
    return String(decoding: raw, as: UTF8.self)
  }

  // MARK: Stack

  private mutating func push(_ value: PickleValue) { stack.append(Entry(value: value, depth: 0)) }

  private mutating func push(_ entry: Entry) throws(PyTorchFileError) { stack.append(entry) }

  private mutating func pop(_ at: Int) throws(PyTorchFileError) -> Entry {
    guard stack.count > (marks.last ?? 0), let entry = stack.popLast() else { throw malformed(at, "stack underflow") }
    return entry
  }

  private func top(_ at: Int) throws(PyTorchFileError) -> Entry {
    guard stack.count > (marks.last ?? 0), let entry = stack.last else { throw malformed(at, "stack underflow") }
    return entry
  }

  private mutating func popToMark(_ at: Int) throws(PyTorchFileError) -> [Entry] {
    guard let mark = marks.popLast() else { throw malformed(at, "no MARK to pop to") }
    defer { stack.removeSubrange(mark...) }
    return Array(stack[mark...])
  }

  private func memoized(_ index: Int, _ at: Int) throws(PyTorchFileError) -> Entry {
    guard let entry = memo[index] else { throw malformed(at, "memo entry \(index) was never stored") }
    return entry
  }

  /// Pushes a container of `items`, one level deeper than its deepest item.
  private mutating func pushContainer(
    _ items: [Entry], _ at: Int, _ make: ([PickleValue]) -> PickleValue
  ) throws(PyTorchFileError) {
    let depth = 1 + (items.map(\.depth).max() ?? 0)
    guard depth <= Self.maxDepth else { throw malformed(at, "nesting deeper than \(Self.maxDepth)") }
    stack.append(Entry(value: make(items.map(\.value)), depth: depth))
  }

  private mutating func append(_ items: [Entry], _ at: Int) throws(PyTorchFileError) {
    var list = try pop(at)
    guard case .list(var values) = list.value else { throw malformed(at, "APPEND to a \(list.value.kind)") }
    list.depth = max(list.depth, 1 + (items.map(\.depth).max() ?? 0))
    guard list.depth <= Self.maxDepth else { throw malformed(at, "nesting deeper than \(Self.maxDepth)") }
    list.value = .none  // drop the enum's reference so `values` is uniquely held and appends in place
    values.append(contentsOf: items.map(\.value))
    list.value = .list(values)
    stack.append(list)
  }

  private mutating func setItems(_ items: [Entry], _ at: Int) throws(PyTorchFileError) {
    guard items.count % 2 == 0 else { throw malformed(at, "SETITEMS with an odd number of items") }
    var dict = try pop(at)
    guard case .dict(var d) = dict.value else { throw malformed(at, "SETITEM on a \(dict.value.kind)") }
    dict.depth = max(dict.depth, 1 + (items.map(\.depth).max() ?? 0))
    guard dict.depth <= Self.maxDepth else { throw malformed(at, "nesting deeper than \(Self.maxDepth)") }
    dict.value = .none
    for i in stride(from: 0, to: items.count, by: 2) {
      let key: PickleKey
      switch items[i].value {
      case .string(let s): key = .string(s)
      case .int(let n): key = .int(n)
      default: throw malformed(at, "a dict key is a \(items[i].value.kind) (only str and int keys are read)")
      }
      d.set(key, items[i + 1].value)
    }
    dict.value = .dict(d)
    stack.append(dict)
  }

  private func malformed(_ at: Int, _ reason: String) -> PyTorchFileError {
    .malformedPickle(path: path, offset: at, reason: reason)
  }

  // MARK: Globals, calls and storages

  private func allowed(_ module: String, _ name: String) throws(PyTorchFileError) -> PickleGlobal {
    guard let global = PickleGlobal(rawValue: "\(module).\(name)") else {
      throw .forbiddenGlobal(path: path, module: module, name: name)
    }
    return global
  }

  private func reduce(_ callee: PickleValue, _ arguments: Entry, _ at: Int) throws(PyTorchFileError) -> Entry {
    guard case .global(let global) = callee else { throw malformed(at, "REDUCE of a \(callee.kind)") }
    guard case .tuple(let args) = arguments.value else {
      throw .badCall(path: path, callee: global.rawValue, reason: "arguments are a \(arguments.value.kind)")
    }
    let value: PickleValue
    switch global {
    case .orderedDict:
      guard args.isEmpty else { throw .badCall(path: path, callee: global.rawValue, reason: "arguments given") }
      value = .dict(PickleDict())
    case .rebuildTensorV2, .rebuildTensor:
      value = .tensor(try TensorReference(arguments: args, global: global, path: path))
    case .rebuildParameter:
      guard args.count == 3, case .tensor(let tensor) = args[0] else {
        throw .badCall(path: path, callee: global.rawValue, reason: "expected (tensor, requires_grad, hooks)")
      }
      value = .tensor(tensor)
    case .floatStorage, .halfStorage, .bfloat16Storage, .longStorage:
      throw .badCall(path: path, callee: global.rawValue, reason: "storage types are only named by persistent ids")
    }
    return Entry(value: value, depth: 1)
  }

  /// torch's persistent_load for storages; the bytes are found later by key (zip record or legacy order).
  private mutating func persistentLoad(_ id: Entry, _ at: Int) throws(PyTorchFileError) -> Entry {
    let fields = form == .zip ? 5 : 6
    guard case .tuple(let items) = id.value, items.count == fields, items[0].isText("storage"),
      case .global(let type) = items[1], let dtype = type.storageDType,
      let key = items[2].text, items[3].text != nil, case .int(let count) = items[4], count >= 0,
      !count.multipliedReportingOverflow(by: dtype.size).overflow
    else {
      throw .badStorage(
        path: path,
        reason: "persistent id at byte \(at) is not ('storage', type, key, location, numel"
          + (form == .zip ? ")" : ", view)") + " with an allowed storage type")
    }
    let root = StorageReference(key: key, dtype: dtype, count: count, window: 0..<count)
    if let known = storages[key], known != root {
      throw .badStorage(path: path, reason: "storage '\(key)' is declared twice with different types or sizes")
    }
    storages[key] = root
    guard form == .legacy else { return Entry(value: .storage(root), depth: 1) }
    switch items[5] {
    case .none: return Entry(value: .storage(root), depth: 1)
    case .tuple(let view):
      guard view.count == 3, view[0].text != nil, case .int(let offset) = view[1], case .int(let size) = view[2],
        offset >= 0, size >= 0, offset <= count, size <= count - offset
      else { throw .badStorage(path: path, reason: "a view of storage '\(key)' lies outside its \(count) elements") }
      let window = StorageReference(key: key, dtype: dtype, count: count, window: offset..<(offset + size))
      return Entry(value: .storage(window), depth: 1)
    default:
      throw .badStorage(path: path, reason: "storage '\(key)' has view metadata that is a \(items[5].kind)")
    }
  }
}
