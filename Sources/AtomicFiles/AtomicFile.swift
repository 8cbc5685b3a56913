// Atomic file writes with POSIX calls, the one path every file we write goes through (images, model files,
// the HTML report): the bytes go to a temporary file in the destination's folder, so that the rename stays on
// one file system, then the temporary file is renamed over the destination. Readers see the old file or the
// new one, never a mix, and a failed write leaves no temporary file behind.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an atomic write failed.
public enum AtomicWriteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file system refused (creating, writing, syncing, closing or renaming), with the system's reason.
  case failed(path: String, reason: String)
  /// The destination exists and the write was not allowed to replace it.
  case destinationExists(path: String)

  /// What went wrong, without the path.
  public var reason: String {
    switch self {
    case .failed(_, let reason): reason
    case .destinationExists: "destination exists"
    }
  }

  public var description: String {
    switch self {
    case .failed(let path, _), .destinationExists(let path): "\(path): cannot write: \(reason)"
    }
  }
}

/// The temporary file of one atomic write, open for writing.
public struct AtomicFileWriter {
  let fd: Int32
  let path: String

  /// `write(2)` until every byte is written, retrying on EINTR and short writes.
  public func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicWriteError) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let n = posixWrite(fd, base + done, bytes.count - done)
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw .failed(path: path, reason: AtomicFile.systemError()) }
      done += n
    }
  }

  /// Writes all of `bytes`.
  public func write(_ bytes: [UInt8]) throws(AtomicWriteError) {
    try bytes.withUnsafeBytes { raw in Result { () throws(AtomicWriteError) in try write(raw) } }.get()
  }
}

public enum AtomicFile {
  /// Writes what `body` writes to a temporary file beside `path`, then renames it over `path`.
  /// - Parameters:
  ///   - replacing: false refuses an existing destination with `.destinationExists` (checked just before the
  ///     rename; not race-free against other writers).
  ///   - synced: `fsync` before the rename, so that after a crash `path` holds the old or the whole new file
  ///     (model files); without it the write is atomic for readers but may not survive a power loss.
  /// - Throws: `AtomicWriteError`; nothing is left behind and `path` is untouched.
  public static func write(
    to path: String, replacing: Bool = true, synced: Bool = false,
    _ body: (AtomicFileWriter) throws(AtomicWriteError) -> Void
  ) throws(AtomicWriteError) {
    let temporary = temporaryPath(besides: path)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .failed(path: path, reason: systemError()) }
    var failure: AtomicWriteError? = nil
    do {
      try body(AtomicFileWriter(fd: fd, path: path))
      if synced && fsync(fd) != 0 { failure = .failed(path: path, reason: systemError()) }
    } catch {
      failure = error
    }
    if close(fd) != 0 && failure == nil { failure = .failed(path: path, reason: systemError()) }
    if failure == nil && !replacing && access(path, F_OK) == 0 { failure = .destinationExists(path: path) }
    if failure == nil && rename(temporary, path) != 0 { failure = .failed(path: path, reason: systemError()) }
    if let failure {
      unlink(temporary)
      throw failure
    }
  }

  /// Writes `bytes` atomically to `path` (see `write(to:replacing:synced:_:)`).
  public static func write(_ bytes: [UInt8], to path: String, replacing: Bool = true, synced: Bool = false)
    throws(AtomicWriteError)
  {
    try write(to: path, replacing: replacing, synced: synced) { (file) throws(AtomicWriteError) in try file.write(bytes)
    }
  }

  /// "<folder>/.<name>.<pid>.<random>.tmp": hidden, and in the same folder so that rename stays on one file system.
  static func temporaryPath(besides path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return "\(folder).\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
  }

  /// `strerror(errno)` as a String.
  static func systemError() -> String { String(cString: strerror(errno)) }
}

/// POSIX `write`, named apart from `AtomicFileWriter.write`, which would otherwise shadow it.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
