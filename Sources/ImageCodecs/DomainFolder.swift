// A domain folder: every .png/.jpg/.jpeg below a root (any case, recursive), in a deterministic order,
// and a loader that decodes + augments one file, reporting each failing file once and skipping it.
import Foundation
import Synchronization

/// The image files of one training domain (e.g. trainA/).
public struct DomainFolder: Sendable {
  public let root: URL
  /// Absolute paths, sorted by their path relative to `root` (byte order, so the same on every machine).
  public let files: [String]

  public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

  /// Lists `root` recursively (following no symlinked folders, skipping hidden files).
  public init(_ root: URL) throws(ImageCodecError) {
    self.root = root.standardizedFileURL
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: self.root.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw .readFailed(path: root.path, reason: "not a folder")
    }
    let base = self.root.path.hasSuffix("/") ? self.root.path : self.root.path + "/"
    var relative: [String] = []
    let enumerator = FileManager.default.enumerator(
      at: self.root, includingPropertiesForKeys: [.isRegularFileKey],
      options: [.skipsHiddenFiles])
    while let url = enumerator?.nextObject() as? URL {
      guard Self.extensions.contains(url.pathExtension.lowercased()),
        (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
      else { continue }
      let path = url.standardizedFileURL.path
      relative.append(path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path)
    }
    relative.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    files = relative.map { base + $0 }
  }
}

/// Decodes and augments domain images; a file that fails is reported once (to `onFailure`) and from
/// then on skipped without being read again. Safe to share between threads.
public final class DomainLoader: Sendable {
  public let folder: DomainFolder
  public let options: DecodeOptions
  private let onFailure: @Sendable (ImageCodecError) -> Void
  private let failed = Mutex<Set<Int>>([])

  public init(
    folder: DomainFolder, options: DecodeOptions = DecodeOptions(),
    onFailure: @escaping @Sendable (ImageCodecError) -> Void
  ) {
    self.folder = folder
    self.options = options
    self.onFailure = onFailure
  }

  /// The decoded image at `index` in `folder.files`, or nil when that file does not decode.
  public func load(_ index: Int) -> Image? {
    if failed.withLock({ $0.contains(index) }) { return nil }
    do {
      return try ImageDecoder.load(path: folder.files[index], options: options).image
    } catch {
      let isNew = failed.withLock { $0.insert(index).inserted }
      if isNew { onFailure(error) }
      return nil
    }
  }

  /// Indices of files that failed so far.
  public var failedIndices: Set<Int> { failed.withLock { $0 } }
}
