// `translate models`: where models were looked for (the search path, in order) and the models found there, with
// domains, architecture, size and training length (text or JSON); files that are no usable model are reported
// (on stderr in text mode) and make the exit status 1. Logic: Translation/Inference/ModelRegistry.swift.

import ArgumentParser
import Foundation
import Translation

struct Models: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the installed models and the folders searched for them.",
    discussion: """
      Examples:
        translate models
        translate models --models-dir ~/my-models
        TRANSLATE_MODELS=/data/models:/shared/models translate models --json
      """)

  @OptionGroup var location: ModelsDirOption
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let registry = try ModelRegistry(searchPath: location.searchPath)
    if json {
      let searched = registry.listings.map {
        Searched(path: $0.folder.path, source: $0.folder.source.rawValue, exists: $0.folder.exists)
      }
      try Output.json(
        Listing(
          searched: searched, models: registry.models.map(Row.init),
          unusable: registry.unusable.map { ["error": $0.description] }))
      if !registry.unusable.isEmpty { throw ExitCode.failure }
      return
    }
    print("searched, in order (the first folder with a fitting model wins):")
    for (folder, models) in registry.listings {
      let state = folder.exists ? "\(models.count) model(s)" : "not there"
      print("  \(folder.source.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(folder.path)  (\(state))")
    }
    if registry.models.isEmpty { print("no models found (train one with: translate train --from A --to B)") }
    for (folder, models) in registry.listings where !models.isEmpty {
      print("\(folder.path):")
      for m in models { print("  " + Self.line(m)) }
    }
    for problem in registry.unusable { FileHandle.standardError.write(Data("unusable: \(problem)\n".utf8)) }
    if !registry.unusable.isEmpty { throw ExitCode.failure }
  }

  /// "day-night.safetensors  day ↔ night  resnet 6 blocks, 16 filters  4.2 MB  trained at 128px, 3000 iterations"
  static func line(_ m: ModelDescription) -> String {
    let training = [m.imageSize.map { "trained at \($0)px" }, m.iterations.map { "\($0) iterations" }]
      .compactMap { $0 }.joined(separator: ", ")
    return "\((m.path as NSString).lastPathComponent)  \(m.domains)  \(m.summary)  "
      + String(format: "%.1f MB", Double(m.fileBytes) / 1e6) + (training.isEmpty ? "" : "  \(training)")
  }

  /// `--json`: {"searched": [Searched], "models": [Row], "unusable": [{"error": …}]}; unknown optional fields are
  /// left out.
  struct Listing: Encodable {
    let searched: [Searched]
    let models: [Row]
    let unusable: [[String: String]]
  }
  struct Searched: Encodable {
    let path, source: String
    let exists: Bool
  }
  struct Row: Encodable {
    let file, architecture: String
    let bytes: Int
    let bothDirections: Bool
    let domainA, domainB: String?
    let imageSize, iterations: Int?

    init(_ m: ModelDescription) {
      (file, architecture, bytes, bothDirections) = (m.path, m.summary, m.fileBytes, m.hasBothDirections)
      (domainA, domainB, imageSize, iterations) = (m.domainA, m.domainB, m.imageSize, m.iterations)
    }
  }
}
