// `translate inspect PATH...`: decodes every image under the paths and prints one line per image and a
// summary (or JSON), optionally with the checkerboard index (Translation). Exit status 0 when everything
// decoded, 1 otherwise.
import ArgumentParser
import ImageCodecs
import Translation

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check images and folders before training: format, size, channels, bit depth, orientation.",
    discussion: """
      Examples:
        translate inspect datasets/day datasets/night
        translate inspect photo.jpg --json
      """)

  @Argument(help: "Image files or folders (searched recursively for .png, .jpg, .jpeg in any case).")
  var paths: [String]

  @Flag(help: "Print a JSON report instead of text.")
  var json = false

  @Option(help: "Refuse images with more pixels than this.")
  var pixelLimit = DecodeOptions.defaultPixelLimit

  @Flag(help: "Accept truncated files (JPEG: missing rows come out gray).")
  var allowTruncated = false

  @Flag(
    help:
      "Also measure each image's checkerboard index (≈ 1: no grid; ≫ 1: the 4-pixel grid transposed convolutions leave)."
  )
  var checkerboard = false

  func validate() throws {
    guard !paths.isEmpty else { throw ValidationError("give at least one file or folder") }
    guard pixelLimit > 0 else { throw ValidationError("--pixel-limit must be positive") }
  }

  func run() throws {
    let options = DecodeOptions(pixelLimit: pixelLimit, allowTruncated: allowTruncated)
    let measure: ((Image) -> Double)? = checkerboard ? { image in checkerboardIndex(image) } : nil
    let report = Inspector.inspect(paths: paths, options: options, checkerboard: measure)
    if json {
      try Output.json(report)
    } else {
      for record in report.records { print(record.line) }
      for line in report.summary.lines { print(line) }
    }
    if report.summary.failed > 0 || report.summary.total == 0 { throw ExitCode(1) }
  }
}
