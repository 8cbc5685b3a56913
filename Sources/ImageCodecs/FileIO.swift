// File input and output with POSIX calls: whole-file reads with the system's error text, and atomic
// writes (AtomicFiles: temporary file in the destination's folder, then rename) that never replace an input file.
import AtomicFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether an existing destination may be replaced.
public enum OverwritePolicy: Sendable {
  /// Replace an existing file atomically (readers see the old or the new file, never a mix).
  case replace
  /// Fail with `.destinationExists` (checked just before the rename; not race-free against other writers).
  case refuse
}

/// Identities (device, inode) of the files a run reads, so that no write can replace one of them —
/// whatever path spelling, symlink or hard link leads there.
public struct ProtectedFiles: Sendable {
  private var identities: Set<FileIdentity> = []

  public init(paths: some Sequence<String> = []) {
    for path in paths {
      if let identity = FileIdentity(path: path) { identities.insert(identity) }
    }
  }

  /// True when `path` exists and is one of the protected files.
  public func contains(path: String) -> Bool {
    guard let identity = FileIdentity(path: path) else { return false }
    return identities.contains(identity)
  }
}

struct FileIdentity: Hashable, Sendable {
  let device: UInt64
  let inode: UInt64

  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }
}

enum FileIO {
  static func systemError() -> String { String(cString: strerror(errno)) }

  /// The whole file's bytes.
  static func readAll(path: String) throws(ImageCodecError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .readFailed(path: path, reason: systemError()) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .readFailed(path: path, reason: systemError()) }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw .readFailed(path: path, reason: "not a regular file") }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(info.st_size))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else { throw .readFailed(path: path, reason: systemError()) }
      if n == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<n])
    }
  }

  /// Writes `bytes` atomically to `path` (AtomicFile: temporary file beside it, then rename), unless `path`
  /// is one of `inputs`.
  static func writeAtomically(
    _ bytes: [UInt8], to path: String, overwrite: OverwritePolicy,
    protecting inputs: ProtectedFiles
  ) throws(ImageCodecError) {
    if inputs.contains(path: path) { throw .wouldOverwriteInput(path: path) }
    do {
      try AtomicFile.write(bytes, to: path, replacing: overwrite == .replace)
    } catch {
      switch error {
      case .failed(_, let reason): throw .writeFailed(path: path, reason: reason)
      case .destinationExists: throw .destinationExists(path: path)
      }
    }
  }
}

/// Writing images to files.
public enum ImageWriter {
  /// Encodes `image` and writes it atomically to `path`. `options` nil: from the extension (.png/.jpg/
  /// .jpeg, default settings). Throws `.wouldOverwriteInput` when `path` is one of `inputs`.
  public static func write(
    _ image: Image, to path: String, options: EncodeOptions? = nil,
    overwrite: OverwritePolicy = .replace, protecting inputs: ProtectedFiles = ProtectedFiles()
  )
    throws(ImageCodecError)
  {
    let resolved: EncodeOptions
    if let options {
      resolved = options
    } else {
      let ext = path.split(separator: "/").last?.split(separator: ".").last.map(String.init) ?? ""
      guard let format = ImageFormat(fileExtension: ext) else {
        throw .unsupported(path: path, reason: "cannot tell the format from extension \"\(ext)\"")
      }
      resolved = .defaults(for: format)
    }
    let bytes = try ImageEncoder.encode(image, options: resolved, path: path)
    try FileIO.writeAtomically(bytes, to: path, overwrite: overwrite, protecting: inputs)
  }
}
