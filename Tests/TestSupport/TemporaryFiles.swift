// Paths for tests: unique temporary paths and folders under the system temporary directory, and the
// package's own files (fixtures) found from this source file, with no bundle.

import Foundation

/// A fresh path under the temporary directory (nothing is created).
public func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("translate-tests-\(UUID().uuidString)-\(name)").path
}

/// A fresh empty folder under the temporary directory; the caller removes it.
public func makeTemporaryFolder(_ name: String) throws -> String {
  let path = temporaryPath(name)
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// The package's root folder (two levels above Tests/TestSupport).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Path of `name` in the `Fixtures/` folder of the test target `target`, e.g. `("AutogradTests", "conv.safetensors")`.
public func fixturePath(_ target: String, _ name: String) -> String {
  packageRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(name)").path
}
