// Where `translate` looks for models, in order (the first folder holding a fitting model wins, like $PATH):
// --models-dir, $TRANSLATE_MODELS (colon-separated), ./models, $XDG_DATA_HOME/translate/models (default
// ~/.local/share/translate/models; XDG Base Directory spec), then <prefix>/share/translate/models beside the
// installed executable (<prefix>/bin/translate, symlinks resolved), where scripts/install.sh puts the bundled models.

import Foundation

/// Why a folder is on the search path.
public enum ModelFolderSource: String, Sendable, Codable, CaseIterable {
  /// `--models-dir DIR`.
  case option = "--models-dir"
  /// One entry of `$TRANSLATE_MODELS`.
  case environment = "$TRANSLATE_MODELS"
  /// `./models` in the working directory.
  case workingDirectory = "./models"
  /// `$XDG_DATA_HOME/translate/models`, the user's own installed models.
  case userData = "$XDG_DATA_HOME"
  /// `<prefix>/share/translate/models`, found from the executable's own location.
  case installation = "installation"
}

/// One folder of the search path.
public struct ModelFolder: Sendable, Equatable, Codable {
  public let path: String
  public let source: ModelFolderSource

  public init(path: String, source: ModelFolderSource) {
    self.path = path
    self.source = source
  }

  /// True when `path` is an existing folder (read on each call: the path does not cache the file system).
  public var exists: Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
  }
}

/// The ordered folders that model lookups search.
public struct ModelSearchPath: Sendable, Equatable {
  public let folders: [ModelFolder]

  public init(folders: [ModelFolder]) { self.folders = folders }

  /// Just `folder` (tests, and callers that name one folder).
  public static func only(_ folder: String) -> ModelSearchPath {
    ModelSearchPath(folders: [ModelFolder(path: folder, source: .option)])
  }

  /// The command line's search path. `environment` is the process environment (HOME, XDG_DATA_HOME,
  /// TRANSLATE_MODELS); `executablePath` the running binary (nil: no installation folder). A folder reached twice
  /// (same standardized absolute path) is kept at its first place only.
  public static func standard(modelsDir: String?, environment: [String: String], executablePath: String?)
    -> ModelSearchPath
  {
    var folders: [ModelFolder] = []
    if let modelsDir { folders.append(ModelFolder(path: modelsDir, source: .option)) }
    for entry in (environment["TRANSLATE_MODELS"] ?? "").split(separator: ":") where !entry.isEmpty {
      folders.append(ModelFolder(path: String(entry), source: .environment))
    }
    folders.append(ModelFolder(path: "models", source: .workingDirectory))
    folders.append(ModelFolder(path: userDataFolder(environment), source: .userData))
    if let executablePath {
      folders.append(ModelFolder(path: installationFolder(executable: executablePath), source: .installation))
    }
    var seen = Set<String>()
    return ModelSearchPath(folders: folders.filter { seen.insert(absolute($0.path)).inserted })
  }

  /// $XDG_DATA_HOME/translate/models; the spec says a relative or empty XDG_DATA_HOME is ignored, and the
  /// default is $HOME/.local/share.
  static func userDataFolder(_ environment: [String: String]) -> String {
    let data =
      environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
    return (data as NSString).appendingPathComponent("translate/models")
  }

  /// ../share/translate/models from the folder of the executable's real path (symlinks resolved, so a
  /// `~/bin/translate` link to `/opt/translate/bin/translate` finds `/opt/translate/share/translate/models`).
  static func installationFolder(executable: String) -> String {
    let real = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
    return real.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("share/translate/models").standardizedFileURL.path
  }

  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
  }
}
