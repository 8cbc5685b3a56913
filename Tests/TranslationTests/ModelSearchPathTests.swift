// The model search path: its order and sources, XDG defaults, the installation folder found through symlinks,
// duplicates kept once, and lookups where the first folder with a fitting model wins.

import Foundation
import TestSupport
import Testing
import TranslationTestSupport

@testable import Translation

@Suite struct ModelSearchPathTests {
  @Test func foldersComeInTheDocumentedOrder() {
    let path = ModelSearchPath.standard(
      modelsDir: "/mine",
      environment: ["TRANSLATE_MODELS": "/env1::/env2", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"],
      executablePath: "/opt/t/bin/translate")
    #expect(
      path.folders.map(\.path) == [
        "/mine", "/env1", "/env2", "models", "/xdg/translate/models", "/opt/t/share/translate/models",
      ])
    #expect(
      path.folders.map(\.source) == [.option, .environment, .environment, .workingDirectory, .userData, .installation])
  }

  @Test func userDataDefaultsToHomeAndIgnoresARelativeXDGDataHome() {
    for environment in [["HOME": "/home/u"], ["HOME": "/home/u", "XDG_DATA_HOME": "relative/data"]] {
      let path = ModelSearchPath.standard(modelsDir: nil, environment: environment, executablePath: nil)
      #expect(path.folders.map(\.path) == ["models", "/home/u/.local/share/translate/models"])
    }
  }

  @Test func aFolderReachedTwiceIsSearchedOnceAtItsFirstPlace() {
    let cwd = FileManager.default.currentDirectoryPath
    let path = ModelSearchPath.standard(
      modelsDir: nil, environment: ["TRANSLATE_MODELS": "\(cwd)/models", "HOME": "/home/u"], executablePath: nil)
    #expect(path.folders.map(\.source) == [.environment, .userData])
  }

  @Test func theInstallationFolderIsFoundFromTheExecutablesRealPath() throws {
    let root = try makeTemporaryFolder("prefix")
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root + "/prefix/bin", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: root + "/prefix/bin/translate", contents: Data())
    try FileManager.default.createSymbolicLink(
      atPath: root + "/elsewhere/translate", withDestinationPath: root + "/prefix/bin/translate")
    let found = ModelSearchPath.installationFolder(executable: root + "/elsewhere/translate")
    #expect(ModelSearchPath.absolute(found) == ModelSearchPath.absolute(root + "/prefix/share/translate/models"))
  }

  @Test func theFirstFolderWithAFittingModelWinsAndMissingFoldersAreSkipped() throws {
    let root = try makeTemporaryFolder("search")
    defer { try? FileManager.default.removeItem(atPath: root) }
    for folder in ["first", "second"] {
      try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
    }
    try saveTinyModel(root + "/first/short.safetensors", "day", "night", iterations: 10)
    try saveTinyModel(root + "/second/long.safetensors", "day", "night", iterations: 500)
    try saveTinyModel(root + "/second/horses.safetensors", "horse", "zebra")
    let path = ModelSearchPath(folders: [
      ModelFolder(path: root + "/missing", source: .environment),
      ModelFolder(path: root + "/first", source: .workingDirectory),
      ModelFolder(path: root + "/second", source: .installation),
    ])
    let registry = try ModelRegistry(searchPath: path)
    #expect(registry.models.count == 3 && registry.listings.map(\.models.count) == [0, 1, 2])
    #expect(try registry.find(from: "night", to: "day").model.path.hasSuffix("first/short.safetensors"))
    #expect(try registry.find(from: "horse", to: "zebra").model.path.hasSuffix("second/horses.safetensors"))
    #expect(
      throws: ModelLookupError.unknownPair(
        from: "cat", to: "dog", searched: path.folders.map(\.path), available: ["day ↔ night", "horse ↔ zebra"])
    ) { try registry.find(from: "cat", to: "dog") }
  }

  @Test func aMissingModelsDirIsAnErrorNotSkipped() {
    let path = ModelSearchPath.standard(
      modelsDir: "/nonexistent/models", environment: ["HOME": "/h"], executablePath: nil)
    #expect(throws: ModelLookupError.folderMissing(path: "/nonexistent/models")) {
      try ModelRegistry(searchPath: path)
    }
  }
}
