// What a run translates: input files (folders listed recursively) paired with output paths that keep the
// tree, names and formats; every refusal (output inside an input folder, output = input, two inputs
// writing one file) is decided here, before any work.

import Foundation

/// One input image and where its translation goes.
public struct TranslationItem: Sendable, Equatable {
  public let input: String
  public let output: String
  public let encoding: EncodeOptions
}

/// Why the inputs and output cannot form a run.
public enum TranslationJobError: Error, Equatable, CustomStringConvertible {
  /// An input does not exist (or is neither a file nor a folder).
  case inputMissing(path: String)
  /// The inputs hold no .png/.jpg/.jpeg file.
  case noImages(paths: [String])
  /// The output folder is an input folder or lies inside one: outputs would become inputs.
  case outputInsideInput(output: String, input: String)
  /// The output file is the input file.
  case outputIsInput(path: String)
  /// Several inputs (or a folder) need an output folder, but the output is an existing file.
  case outputNotAFolder(path: String)
  /// The output's extension names no format we write.
  case unknownOutputFormat(path: String)
  /// `--format` contradicts the extension of the output file named.
  case formatConflict(path: String, format: ImageFormat)
  /// Two inputs would be written to the same output.
  case duplicateOutput(path: String, first: String, second: String)

  public var description: String {
    switch self {
    case .inputMissing(let path): "\(path): no such file or folder"
    case .noImages(let paths): "no .png, .jpg or .jpeg files in \(paths.joined(separator: ", "))"
    case .outputInsideInput(let output, let input):
      "refusing to write into \(output): it is inside the input folder \(input) (outputs would become inputs)"
    case .outputIsInput(let path): "refusing to overwrite the input \(path): choose another output name"
    case .outputNotAFolder(let path): "\(path) is a file; several inputs or a folder need an output folder"
    case .unknownOutputFormat(let path):
      "\(path): cannot tell the output format from its extension (use .png, .jpg, or --format)"
    case .formatConflict(let path, let format):
      "\(path): the extension contradicts --format \(format == .png ? "png" : "jpg")"
    case .duplicateOutput(let path, let first, let second): "\(first) and \(second) would both be written to \(path)"
    }
  }
}

/// The items of a run, in input order (folders in DomainFolder's sorted order).
public struct TranslationJob: Sendable {
  public let items: [TranslationItem]
  /// Every input file of the whole job (a shard's too), for `ProtectedFiles`.
  public let inputFiles: [String]

  public init(items: [TranslationItem]) {
    self.items = items
    inputFiles = items.map(\.input)
  }

  /// The items of `shard` (item k belongs to shard k mod count); every input stays protected.
  public func part(_ shard: Shard) -> TranslationJob {
    TranslationJob(items: items.indices.filter { shard.holds($0) }.map { items[$0] }, inputFiles: inputFiles)
  }

  private init(items: [TranslationItem], inputFiles: [String]) {
    self.items = items
    self.inputFiles = inputFiles
  }

  /// Pairs `inputs` with outputs. One input file and an `output` that is not a folder: file to file. Else
  /// `output` is a folder: a single input folder's tree goes directly under it; with several inputs each
  /// folder keeps its own name and each file goes to `output/<name>`. `format` changes the outputs'
  /// extension and format; `quality` applies to JPEG outputs.
  public static func plan(
    inputs: [String], output: String, format: ImageFormat? = nil,
    quality: Int = 92
  ) throws(TranslationJobError) -> TranslationJob {
    let fm = FileManager.default
    var outputFlag: ObjCBool = false
    let outputExists = fm.fileExists(atPath: output, isDirectory: &outputFlag)
    let outputIsFolder = outputExists && outputFlag.boolValue
    var pairs: [(input: String, output: String)] = []
    for input in inputs {
      var isFolder: ObjCBool = false
      guard fm.fileExists(atPath: input, isDirectory: &isFolder) else { throw .inputMissing(path: input) }
      if isFolder.boolValue {
        if outputExists && !outputIsFolder { throw .outputNotAFolder(path: output) }
        let root = canonical(input)
        let out = canonical(output)
        if out == root || out.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
          throw .outputInsideInput(output: output, input: input)
        }
        let folder: DomainFolder
        do { folder = try DomainFolder(URL(fileURLWithPath: input)) } catch { throw .inputMissing(path: input) }
        let base = folder.root.path.hasSuffix("/") ? folder.root.path : folder.root.path + "/"
        let target = inputs.count == 1 ? output : join(output, folder.root.lastPathComponent)
        for file in folder.files { pairs.append((file, join(target, String(file.dropFirst(base.count))))) }
      } else if inputs.count == 1 && !outputIsFolder && !output.hasSuffix("/") {
        if let format, let named = ImageFormat(fileExtension: (output as NSString).pathExtension), named != format {
          throw .formatConflict(path: output, format: format)
        }
        pairs.append((input, output))
      } else {
        if outputExists && !outputIsFolder { throw .outputNotAFolder(path: output) }
        pairs.append((input, join(output, (input as NSString).lastPathComponent)))
      }
    }
    guard !pairs.isEmpty else { throw .noImages(paths: inputs) }
    return TranslationJob(items: try items(pairs, format: format, quality: quality))
  }

  /// Applies the format, then checks that no output is an input and no two outputs coincide.
  private static func items(
    _ pairs: [(input: String, output: String)], format: ImageFormat?,
    quality: Int
  ) throws(TranslationJobError) -> [TranslationItem] {
    let inputs = Set(pairs.map { canonical($0.input) })
    var seen: [String: String] = [:]
    var items: [TranslationItem] = []
    for (input, output) in pairs {
      let path = format.map { renamed(output, to: $0) } ?? output
      guard let written = ImageFormat(fileExtension: (path as NSString).pathExtension) else {
        throw .unknownOutputFormat(path: path)
      }
      let key = canonical(path)
      if inputs.contains(key) { throw .outputIsInput(path: path) }
      if let first = seen[key] { throw .duplicateOutput(path: path, first: first, second: input) }
      seen[key] = input
      items.append(
        TranslationItem(
          input: input, output: path,
          encoding: written == .png ? .png : .jpeg(quality: quality)))
    }
    return items
  }

  /// `path` with the extension of `format`, unless its extension already names that format.
  static func renamed(_ path: String, to format: ImageFormat) -> String {
    let ns = path as NSString
    if ImageFormat(fileExtension: ns.pathExtension) == format { return path }
    return ns.deletingPathExtension + (format == .png ? ".png" : ".jpg")
  }

  static func join(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

  /// An absolute path with symlinks resolved as far as the path exists (the rest appended as written).
  static func canonical(_ path: String) -> String {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    var tail: [String] = []
    while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" {
      tail.insert(url.lastPathComponent, at: 0)
      url.deleteLastPathComponent()
    }
    var resolved = url.resolvingSymlinksInPath().path
    for part in tail { resolved = join(resolved, part) }
    return resolved
  }
}
