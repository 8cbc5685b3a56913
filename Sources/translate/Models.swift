// `translate models`: the installed models with domains, architecture, size and training length (text or
// JSON); files that are no usable model are reported (on stderr in text mode) and make the exit status 1.
// Logic: Translation/Inference/ModelRegistry.swift.

import ArgumentParser
import Foundation
import Translation

struct Models: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the installed models.")

  @Option(help: "Folder of installed models.") var modelsDir = "models"
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let registry = try ModelRegistry(folder: modelsDir)
    if json {
      let rows = registry.models.map { m -> [String: Any] in
        var row: [String: Any] = [
          "file": m.path, "architecture": m.summary, "bytes": m.fileBytes,
          "bothDirections": m.hasBothDirections,
        ]
        row["domainA"] = m.domainA; row["domainB"] = m.domainB
        row["imageSize"] = m.imageSize; row["iterations"] = m.iterations
        return row
      }
      let problems = registry.unusable.map { ["error": $0.description] }
      let data = try JSONSerialization.data(withJSONObject: ["models": rows, "unusable": problems],
                                            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      print(String(decoding: data, as: UTF8.self))
      if !registry.unusable.isEmpty { throw ExitCode.failure }
      return
    }
    if registry.models.isEmpty { print("no models in \(modelsDir)/ (train one with: translate train --from A --to B)") }
    for m in registry.models {
      let training = [m.imageSize.map { "trained at \($0)px" }, m.iterations.map { "\($0) iterations" }]
        .compactMap { $0 }.joined(separator: ", ")
      print("\((m.path as NSString).lastPathComponent)  \(m.domains)  \(m.summary)  "
            + String(format: "%.1f MB", Double(m.fileBytes) / 1e6) + (training.isEmpty ? "" : "  \(training)"))
    }
    for problem in registry.unusable { FileHandle.standardError.write(Data("unusable: \(problem)\n".utf8)) }
    if !registry.unusable.isEmpty { throw ExitCode.failure }
  }
}
