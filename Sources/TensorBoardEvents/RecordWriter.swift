// TFRecord framing, the container of TensorBoard event files (tensorflow/core/lib/io/record_writer.cc): each
// record is  uint64 length | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data,
// all little-endian.

import Foundation

/// Appends TFRecords to a file.
final class RecordWriter {
  let path: String
  private let handle: FileHandle

  /// Creates (or truncates) the file at `path`.
  init(path: String) throws(TensorBoardError) {
    self.path = path
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else { throw .unwritable(path: path, reason: "cannot create the file") }
    self.handle = handle
  }

  deinit { try? handle.close() }

  /// The framed bytes of one record holding `data`.
  static func frame(_ data: [UInt8]) -> [UInt8] {
    let length = littleEndian(UInt64(data.count))
    return length + littleEndian(CRC32C.maskedChecksum(length)) + data + littleEndian(CRC32C.maskedChecksum(data))
  }

  /// Appends one record (a single write, so a reader never sees half a frame header from us).
  func write(_ data: [UInt8]) throws(TensorBoardError) {
    do { try handle.write(contentsOf: Self.frame(data)) } catch {
      throw .unwritable(path: path, reason: String(describing: error))
    }
  }

  /// Pushes written records to the file system (TensorBoard reads files as they grow).
  func flush() throws(TensorBoardError) {
    do { try handle.synchronize() } catch { throw .unwritable(path: path, reason: String(describing: error)) }
  }

  static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
