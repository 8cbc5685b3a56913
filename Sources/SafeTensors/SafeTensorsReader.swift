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
  public static func read(_ path: String) throws -> SafeTensorsFile {
    try read(path, skippingUnsupportedDTypes: false)
  }

  /// Reads and validates the safetensors file at `path`; with `skippingUnsupportedDTypes`, tensors of dtypes
  /// the format defines but we do not convert (U8, F64, …) are listed in `skippedNames` instead of throwing.
  /// Unknown dtype names always throw: their size, hence the file's layout, cannot be checked.
  public static func read(_ path: String, skippingUnsupportedDTypes: Bool) throws -> SafeTensorsFile {
    let buffer = try readWholeFile(path)
    return try SafeTensorsFile(buffer: buffer, path: path, skipUnsupported: skippingUnsupportedDTypes)
  }

  /// Validates a safetensors file held in memory; `path` only labels errors (for tests and fuzzing).
  public static func read(data: [UInt8], path: String) throws -> SafeTensorsFile {
    try read(data: data, path: path, skippingUnsupportedDTypes: false)
  }

  /// As `read(data:path:)`, optionally skipping tensors of unsupported dtypes (see `read(_:skippingUnsupportedDTypes:)`).
  public static func read(data: [UInt8], path: String, skippingUnsupportedDTypes: Bool) throws -> SafeTensorsFile {
    let buffer = SafeTensorsBuffer(count: data.count)
    data.withUnsafeBytes { source in
      if let start = source.baseAddress { buffer.base.copyMemory(from: start, byteCount: source.count) }
    }
    return try SafeTensorsFile(buffer: buffer, path: path, skipUnsupported: skippingUnsupportedDTypes)
  }

  /// The whole file at `path` in one buffer, read with POSIX calls (no Foundation `Data` copy).
  static func readWholeFile(_ path: String) throws(SafeTensorsError) -> SafeTensorsBuffer {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotRead(path: path, reason: systemError()) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw .cannotRead(path: path, reason: systemError()) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { throw .cannotRead(path: path, reason: "not a regular file") }
    guard let size = Int(exactly: status.st_size) else { throw .cannotRead(path: path, reason: "file size out of range") }

    let buffer = SafeTensorsBuffer(count: size)
    var filled = 0
    while filled < size {
      let n = posixRead(fd, buffer.base + filled, size - filled)
      if n < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(path: path, reason: systemError())
      }
      guard n > 0 else { throw .cannotRead(path: path, reason: "file shrank from \(size) to \(filled) bytes while reading") }
      filled += n
    }
    return buffer
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
