// Writing safetensors files (F32 only), laid out as huggingface/safetensors `serialize` does: tensors packed in
// the given order, header padded with spaces to a multiple of 8 bytes. Written through AtomicFile (temporary file
// in the same folder, synced, then renamed over `path`), so readers never see a half-written model.

import AtomicFiles
import TensorCore

extension SafeTensors {
  /// Writes `tensors` as F32 in the given order, with string `metadata` (callers should include a format name,
  /// e.g. `"format": "translate-checkpoint-v1"`). Replaces `path` atomically.
  /// - Throws: `SafeTensorsError.invalidWrite` for a duplicate or reserved (`__metadata__`) name, before
  ///   anything is written; `cannotWrite` when the file system refuses.
  public static func write(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String
  ) throws {
    let header = try headerBytes(tensors, metadata: metadata, path: path)
    do {
      try AtomicFile.write(to: path, synced: true) { (file) throws(AtomicWriteError) in
        try file.write(header)
        for (_, tensor) in tensors { try writeLittleEndian(tensor, to: file) }
      }
    } catch {
      throw SafeTensorsError.cannotWrite(path: path, reason: error.reason)
    }
  }

  /// The 8-byte length followed by the JSON header, padded with spaces to a multiple of 8.
  static func headerBytes(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String], path: String
  ) throws(SafeTensorsError) -> [UInt8] {
    var parts: [String] = []
    if !metadata.isEmpty {
      // Sorted keys: the same inputs always give the same bytes.
      let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonQuoted($0.key)):\(jsonQuoted($0.value))" }
      parts.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var seen = Set<String>()
    var offset = 0
    for (name, tensor) in tensors {
      guard name != "__metadata__" else {
        throw .invalidWrite(path: path, tensor: name, reason: "the name is reserved for the metadata")
      }
      guard seen.insert(name).inserted else { throw .invalidWrite(path: path, tensor: name, reason: "duplicate name") }
      let end = offset + 4 * tensor.count
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      parts.append("\(jsonQuoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    var json = Array("{\(parts.joined(separator: ","))}".utf8)
    json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + json.count)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: json)
    return bytes
  }

  /// Writes the tensor's elements as little-endian Float32, staging through a small buffer.
  private static func writeLittleEndian(_ tensor: Tensor, to file: AtomicFileWriter) throws(AtomicWriteError) {
    let chunk = 1 << 16
    let staging = UnsafeMutablePointer<UInt32>.allocate(capacity: chunk)
    defer { staging.deallocate() }
    let source = tensor.pointer
    var start = 0
    while start < tensor.count {
      let n = min(chunk, tensor.count - start)
      for i in 0..<n { staging[i] = source[start + i].bitPattern.littleEndian }
      try file.write(UnsafeRawBufferPointer(start: staging, count: 4 * n))
      start += n
    }
  }
}
