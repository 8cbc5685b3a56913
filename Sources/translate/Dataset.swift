// `translate dataset day-night`: renders a synthetic dataset offline (library: SyntheticScenes).
import ArgumentParser
import Foundation
import SyntheticScenes
import Translation

/// The datasets the product can render.
enum DatasetKind: String, ExpressibleByArgument, CaseIterable {
  case dayNight = "day-night"
}

extension DatasetImageFormat: ExpressibleByArgument {}

struct Dataset: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Render a synthetic two-domain dataset (no download): <output>/day and <output>/night.",
    discussion: """
      Examples:
        translate dataset day-night --count 200 --size 128 --seed 1
        translate dataset day-night --count 20 --size 64 --seed 9 --format png
      """)

  static let sizeRange = 16...4096

  @Argument(help: "The dataset to render (\(DatasetKind.allCases.map(\.rawValue).joined(separator: ", "))).")
  var kind: DatasetKind

  @Option(help: "Images per domain.") var count: Int
  @Option(help: "Image width and height in pixels (\(Dataset.sizeRange.lowerBound)–\(Dataset.sizeRange.upperBound)).")
  var size: Int
  @Option(help: "Random seed; the same arguments write byte-identical files.") var seed: UInt64
  @Flag(help: "Render each scene both ways with the same file name (for evaluation), instead of independent scenes.")
  var paired = false
  @Option(help: "Output folder.") var output = "datasets"
  @Option(help: "Image format (jpg: quality \(DayNightDataset.jpegQuality)).") var format: DatasetImageFormat = .jpg

  func validate() throws {
    guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
    guard Self.sizeRange.contains(size) else {
      throw ValidationError(
        "--size must be between \(Self.sizeRange.lowerBound) and \(Self.sizeRange.upperBound), got \(size)")
    }
  }

  func run() throws {
    let start = Date()
    switch kind {
    case .dayNight:
      let summary = try DayNightDataset.write(
        count: count, size: size, seed: seed, paired: paired,
        to: URL(fileURLWithPath: output, isDirectory: true), format: format)
      let seconds = Date().timeIntervalSince(start)
      print(
        "\(kind.rawValue): \(summary.count) day + \(summary.count) night images, \(size)×\(size),",
        paired ? "paired," : "unpaired,", "seed \(seed) → \(summary.dayFolder.path), \(summary.nightFolder.path)",
        String(format: "(%.2f MB, %.1f s)", Double(summary.bytes) / 1_000_000, seconds))
    }
  }
}
