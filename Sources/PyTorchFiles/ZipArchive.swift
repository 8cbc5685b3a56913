// A minimal zip reader for torch.save's archives (PKWARE APPNOTE 6.3: end of central directory, its zip64
// form, central directory entries, local headers). torch writes every record STORED (uncompressed, 64-byte
// aligned for mmap), so this reader only locates bytes: compressed or encrypted entries are refused.
// Chosen over a zip library: ~150 bounds-checked lines that the fuzz harness builds with the unpickler.

/// The stored entries of a zip archive held in memory: name → byte range of the entry's data.
struct ZipArchive {
  /// Entry names in central-directory order.
  let names: [String]
  let entries: [String: Range<Int>]

  private static let endSignature: UInt32 = 0x0605_4B50, end64Signature: UInt32 = 0x0606_4B50
  private static let locatorSignature: UInt32 = 0x0706_4B50, centralSignature: UInt32 = 0x0201_4B50
  private static let localSignature: UInt32 = 0x0403_4B50

  init(_ bytes: [UInt8], path: String) throws(PyTorchFileError) {
    let reader = ByteReader(bytes: bytes, path: path)
    // The end record is the last 22 bytes plus a comment of at most 65535.
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    var end = bytes.count - 22
    while end >= lowest, reader.u32(end) != Self.endSignature { end -= 1 }
    guard end >= lowest else { throw reader.bad("no end-of-central-directory record (truncated?)") }
    var count = Int(reader.u16(end + 10) ?? 0)
    var directorySize = Int(reader.u32(end + 12) ?? 0)
    var directoryStart = Int(reader.u32(end + 16) ?? 0)
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryStart == 0xFFFF_FFFF {
      // zip64: the locator sits just before the end record and points at the zip64 end record.
      guard let locator = reader.u32(end - 20), locator == Self.locatorSignature,
        let record = reader.int64(end - 12), reader.u32(record) == Self.end64Signature,
        let n = reader.int64(record + 32), let size = reader.int64(record + 40), let start = reader.int64(record + 48)
      else { throw reader.bad("a zip64 archive without a valid zip64 end record") }
      (count, directorySize, directoryStart) = (n, size, start)
    }
    guard directoryStart <= bytes.count, directorySize <= bytes.count - directoryStart else {
      throw reader.bad("the central directory lies outside the \(bytes.count)-byte file (truncated?)")
    }
    var names: [String] = []
    var entries: [String: Range<Int>] = [:]
    var at = directoryStart
    for _ in 0..<min(count, bytes.count / 46) {
      let (name, range, next) = try Self.entry(at, reader)
      guard entries[name] == nil else { throw reader.bad("entry '\(name)' appears twice") }
      names.append(name)
      entries[name] = range
      at = next
    }
    guard names.count == count else { throw reader.bad("\(count) entries declared, \(names.count) present") }
    self.names = names
    self.entries = entries
  }

  /// One central-directory entry at `at`: its name, its data's byte range (via the local header) and the
  /// offset of the next entry.
  private static func entry(_ at: Int, _ reader: ByteReader) throws(PyTorchFileError) -> (String, Range<Int>, Int) {
    guard reader.u32(at) == centralSignature, let flags = reader.u16(at + 8), let method = reader.u16(at + 10),
      var compressed = reader.u32(at + 20).map(Int.init), var size = reader.u32(at + 24).map(Int.init),
      let nameLength = reader.u16(at + 28).map(Int.init), let extraLength = reader.u16(at + 30).map(Int.init),
      let commentLength = reader.u16(at + 32).map(Int.init), var local = reader.u32(at + 42).map(Int.init),
      let nameBytes = reader.slice(at + 46, nameLength)
    else { throw reader.bad("a central directory entry at byte \(at) is truncated or malformed") }
    let name = String(decoding: nameBytes, as: UTF8.self)
    guard method == 0, flags & 1 == 0 else { throw reader.bad("entry '\(name)' is compressed or encrypted") }
    // zip64 extended information (header 0x0001): the 64-bit values of the fields saturated at 0xFFFFFFFF.
    var extra = at + 46 + nameLength
    let extraEnd = extra + extraLength
    while extra + 4 <= extraEnd, let id = reader.u16(extra), let length = reader.u16(extra + 2).map(Int.init) {
      if id == 1 {
        var field = extra + 4
        func wide() throws(PyTorchFileError) -> Int {
          guard field + 8 <= extra + 4 + length, let value = reader.int64(field) else {
            throw reader.bad("entry '\(name)' has a truncated zip64 field")
          }
          field += 8
          return value
        }
        if size == 0xFFFF_FFFF { size = try wide() }
        if compressed == 0xFFFF_FFFF { compressed = try wide() }
        if local == 0xFFFF_FFFF { local = try wide() }
      }
      extra += 4 + length
    }
    guard compressed == size, reader.u32(local) == localSignature,
      let localName = reader.u16(local + 26).map(Int.init), let localExtra = reader.u16(local + 28).map(Int.init)
    else { throw reader.bad("entry '\(name)' has no valid local header or differing sizes") }
    let start = local + 30 + localName + localExtra
    guard start <= reader.bytes.count, size <= reader.bytes.count - start else {
      throw reader.bad("entry '\(name)' runs past the end of the file (truncated?)")
    }
    return (name, start..<(start + size), extraEnd + commentLength)
  }
}

/// Little-endian reads that return nil instead of reading outside the bytes.
struct ByteReader {
  let bytes: [UInt8]
  let path: String

  func slice(_ at: Int, _ count: Int) -> ArraySlice<UInt8>? {
    guard at >= 0, count >= 0, at <= bytes.count, count <= bytes.count - at else { return nil }
    return bytes[at..<(at + count)]
  }

  func unsigned(_ at: Int, _ count: Int) -> UInt64? {
    slice(at, count).map { $0.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
  }

  func u16(_ at: Int) -> UInt16? { unsigned(at, 2).map { UInt16($0) } }
  func u32(_ at: Int) -> UInt32? { unsigned(at, 4).map { UInt32($0) } }
  /// A 64-bit offset, size or count: nil unless it is at most the file's size (so sums of them cannot overflow).
  func int64(_ at: Int) -> Int? { unsigned(at, 8).flatMap { $0 <= UInt64(bytes.count) ? Int($0) : nil } }

  func bad(_ reason: String) -> PyTorchFileError { .malformedArchive(path: path, reason: reason) }
}
