// scripts/install.sh into a temporary prefix with the binary the tests already built: the installed tool finds
// its bundled model from an unrelated folder, completions and the man page come from the command definitions,
// and --uninstall removes exactly what was installed.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct InstallTests {
  static let script = packageRoot.appendingPathComponent("scripts/install.sh").path

  @Test func installsIntoAPrefixRunsFromAnyFolderAndUninstallsExactly() throws {
    let root = try makeTemporaryFolder("install")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let prefix = root + "/prefix"
    // Something of someone else's under the prefix, which --uninstall must leave alone.
    try FileManager.default.createDirectory(atPath: prefix + "/share/man/man1", withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: prefix + "/share/man/man1/other.1", contents: Data("other".utf8)))

    let install = try CLI.run([Self.script, "--prefix", prefix, "--binary", CLI.binary], in: root, binary: "/bin/bash")
    #expect(install.status == 0, "\(install.stderr)")
    let installed = try files(under: prefix)
    #expect(
      installed == [
        "bin/translate", "share/bash-completion/completions/translate",
        "share/fish/vendor_completions.d/translate.fish",
        "share/man/man1/other.1", "share/man/man1/translate.1", "share/translate/install-manifest.txt",
        "share/translate/models/day-night.safetensors", "share/zsh/site-functions/_translate",
      ], "\(installed)")
    let read = { (relative: String) in (try? String(contentsOfFile: prefix + "/" + relative, encoding: .utf8)) ?? "" }
    // Generated from the command definitions: subcommands and enum values appear without being written anywhere.
    #expect(read("share/bash-completion/completions/translate").contains("fastcut"))
    #expect(read("share/zsh/site-functions/_translate").hasPrefix("#compdef translate"))
    #expect(read("share/fish/vendor_completions.d/translate.fish").contains("train-style"))
    let manual = read("share/man/man1/translate.1")
    #expect(manual.contains(".Dt TRANSLATE 1") && manual.contains("train-style") && manual.contains("Fl -models-dir"))

    let elsewhere = root + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    try ImageWriter.write(Image(width: 20, height: 12, channels: 3), to: elsewhere + "/in.png")
    let installedBinary = prefix + "/bin/translate"
    let models = try CLI.run(["models"], in: elsewhere, binary: installedBinary)
    #expect(
      models.status == 0 && models.stdout.contains("installation")
        && models.stdout.contains(prefix + "/share/translate/models:\n  day-night.safetensors  day ↔ night"),
      "\(models.stdout)")
    let run = try CLI.run(
      ["--from", "day", "--to", "night", "in.png", "-o", "out.png"], in: elsewhere, binary: installedBinary)
    #expect(run.status == 0 && FileManager.default.fileExists(atPath: elsewhere + "/out.png"), "\(run.stderr)")

    let uninstall = try CLI.run([Self.script, "--prefix", prefix, "--uninstall"], in: root, binary: "/bin/bash")
    #expect(uninstall.status == 0, "\(uninstall.stderr)")
    #expect(try files(under: prefix) == ["share/man/man1/other.1"])
    let folders = try FileManager.default.subpathsOfDirectory(atPath: prefix).sorted()
    #expect(folders == ["share", "share/man", "share/man/man1", "share/man/man1/other.1"], "\(folders)")
  }

  /// Regular files under `folder`, relative, sorted.
  func files(under folder: String) throws -> [String] {
    try FileManager.default.subpathsOfDirectory(atPath: folder).filter { relative in
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder)
        && !isFolder.boolValue
    }.sorted()
  }
}
