// Reading safetensors files (huggingface/safetensors format: 8-byte little-endian header length, JSON header,
// data buffer). The file is read in one go into one aligned buffer — not memory-mapped, so that a file that
// shrinks under us gives an error rather than SIGBUS — and tensors are converted from it on request.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing safetensors files, the format PyTorch exports with `safetensors.torch.save_file`.
///
/// Memory: `read` holds the whole file in memory (1×); `SafeTensorsFile.tensors` then converts every tensor
/// into its own Float32 storage (1× for an F32 file), so loading a model peaks at about twice the file size.
/// Every malformed input throws a `SafeTensorsError`; no input makes the reader crash or read out of bounds.
public enum SafeTensors {
  /// Reads and validates the safetensors file at `path`.
  /// - Throws: `SafeTensorsError`, including `unsupportedDType` for a tensor that is not F32, F16, BF16 or I64.
  public static func read(_ path: String) throws(SafeTensorsError) -> SafeTensorsFile {
    try read(path, skippingUnsupportedDTypes: false)
  }

  /// Reads and validates the safetensors file at `path`; with `skippingUnsupportedDTypes`, tensors of dtypes
  /// the format defines but we do not convert (U8, F64, …) are listed in `skippedNames` instead of throwing.
  /// Unknown dtype names always throw: their size, hence the file's layout, cannot be checked.
  public static func read(_ path: String, skippingUnsupportedDTypes: Bool) throws(SafeTensorsError) -> SafeTensorsFile {
    let buffer = try readWholeFile(path)
    return try SafeTensorsFile(buffer: buffer, path: path, skipUnsupported: skippingUnsupportedDTypes)
  }

  /// Reads and validates only the header of the file at `path` (the 8-byte length and the JSON header, checked
  /// against the file's size as `read` checks it): metadata and tensor shapes without reading any tensor data.
  /// - Throws: `SafeTensorsError`, as `read(_:skippingUnsupportedDTypes: true)` would for the same file.
  public static func readHeader(_ path: String) throws(SafeTensorsError) -> SafeTensorsHeader {
    let fd = try openRegularFile(path)
    defer { close(fd.descriptor) }
    let lengthField = SafeTensorsBuffer(count: 8)
    guard try readFully(fd.descriptor, lengthField.base, min(8, fd.size), path: path) == 8 else {
      throw .fileTooSmall(path: path, size: fd.size)
    }
    let lengthBytes = lengthField.base.loadUnaligned(as: UInt64.self)
    let length = UInt64(littleEndian: lengthBytes)
    guard length <= UInt64(SafeTensorsHeader.maxLength) else {
      throw .headerTooLarge(path: path, length: length, limit: SafeTensorsHeader.maxLength)
    }
    guard Int(length) <= fd.size - 8 else { throw .headerOutOfBounds(path: path, length: length, fileSize: fd.size) }
    let prefix = SafeTensorsBuffer(count: 8 + Int(length))
    prefix.base.copyMemory(from: lengthField.base, byteCount: 8)
    guard try readFully(fd.descriptor, prefix.base + 8, Int(length), path: path) == Int(length) else {
      throw .cannotRead(path: path, reason: "file shrank while reading its header")
    }
    return try SafeTensorsHeader(file: prefix.bytes, fileSize: fd.size, path: path)
  }

  /// Validates a safetensors file held in memory; `path` only labels errors (for tests and fuzzing).
  public static func read(data: [UInt8], path: String) throws(SafeTensorsError) -> SafeTensorsFile {
    try read(data: data, path: path, skippingUnsupportedDTypes: false)
  }

  /// As `read(data:path:)`, optionally skipping tensors of unsupported dtypes (see `read(_:skippingUnsupportedDTypes:)`).
  public static func read(data: [UInt8], path: String, skippingUnsupportedDTypes: Bool) throws(SafeTensorsError)
    -> SafeTensorsFile
  {
    let buffer = SafeTensorsBuffer(count: data.count)
    data.withUnsafeBytes { source in
      if let start = source.baseAddress { buffer.base.copyMemory(from: start, byteCount: source.count) }
    }
    return try SafeTensorsFile(buffer: buffer, path: path, skipUnsupported: skippingUnsupportedDTypes)
  }

  /// The whole file at `path` in one buffer, read with POSIX calls (no Foundation `Data` copy).
  static func readWholeFile(_ path: String) throws(SafeTensorsError) -> SafeTensorsBuffer {
    let fd = try openRegularFile(path)
    defer { close(fd.descriptor) }
    let buffer = SafeTensorsBuffer(count: fd.size)
    let filled = try readFully(fd.descriptor, buffer.base, fd.size, path: path)
    guard filled == fd.size else {
      throw .cannotRead(path: path, reason: "file shrank from \(fd.size) to \(filled) bytes while reading")
    }
    return buffer
  }

  /// Opens `path` for reading; refuses anything but a regular file. The caller closes the descriptor.
  private static func openRegularFile(_ path: String) throws(SafeTensorsError) -> (descriptor: Int32, size: Int) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotRead(path: path, reason: systemError()) }
    var status = stat()
    guard fstat(fd, &status) == 0 else {
      let reason = systemError()
      close(fd)
      throw .cannotRead(path: path, reason: reason)
    }
    guard (status.st_mode & S_IFMT) == S_IFREG, let size = Int(exactly: status.st_size) else {
      close(fd)
      throw .cannotRead(path: path, reason: "not a regular file")
    }
    return (fd, size)
  }

  /// Reads up to `count` bytes into `destination`, retrying on EINTR and short reads; returns the bytes read
  /// (fewer than `count` only at the end of the file).
  private static func readFully(
    _ fd: Int32, _ destination: UnsafeMutableRawPointer, _ count: Int, path: String
  ) throws(SafeTensorsError) -> Int {
    var filled = 0
    while filled < count {
      let n = posixRead(fd, destination + filled, count - filled)
      if n < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(path: path, reason: systemError())
      }
      if n == 0 { break }
      filled += n
    }
    return filled
  }

  /// `strerror(errno)` as a String.
  static func systemError() -> String {
    let code = errno
    guard let message = strerror(code) else { return "errno \(code)" }
    return String(cString: message) + " (errno \(code))"
  }
}

/// POSIX `read`, named apart from `SafeTensors.read`, which would otherwise shadow it inside the enum.
@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}
