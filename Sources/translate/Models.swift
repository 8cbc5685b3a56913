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
      let rows = registry.models.map {
        Row(
          file: $0.path, architecture: $0.summary, bytes: $0.fileBytes, bothDirections: $0.hasBothDirections,
          domainA: $0.domainA, domainB: $0.domainB, imageSize: $0.imageSize, iterations: $0.iterations)
      }
      try Output.json(Listing(models: rows, unusable: registry.unusable.map { ["error": $0.description] }))
      if !registry.unusable.isEmpty { throw ExitCode.failure }
      return
    }
    if registry.models.isEmpty { print("no models in \(modelsDir)/ (train one with: translate train --from A --to B)") }
    for m in registry.models {
      let training = [m.imageSize.map { "trained at \($0)px" }, m.iterations.map { "\($0) iterations" }]
        .compactMap { $0 }.joined(separator: ", ")
      print(
        "\((m.path as NSString).lastPathComponent)  \(m.domains)  \(m.summary)  "
          + String(format: "%.1f MB", Double(m.fileBytes) / 1e6) + (training.isEmpty ? "" : "  \(training)"))
    }
    for problem in registry.unusable { FileHandle.standardError.write(Data("unusable: \(problem)\n".utf8)) }
    if !registry.unusable.isEmpty { throw ExitCode.failure }
  }

  /// `--json`: {"models": [Row], "unusable": [{"error": …}]}; unknown optional fields are left out.
  struct Listing: Encodable {
    let models: [Row]
    let unusable: [[String: String]]
  }
  struct Row: Encodable {
    let file, architecture: String
    let bytes: Int
    let bothDirections: Bool
    let domainA, domainB: String?
    let imageSize, iterations: Int?
  }
}
