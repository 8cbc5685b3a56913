// Temporary paths for tests: unique, under the system temporary directory.

import Foundation

/// A fresh path under the temporary directory (nothing is created).
public func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("translate-tests-\(UUID().uuidString)-\(name)").path
}
