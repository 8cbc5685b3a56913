// `translate train-style --style S --content-dir D -o models/NAME.safetensors`: trains a fast style network
// (library: Translation/Style/FastStyleTraining.swift). Parses, validates, calls the library, prints progress.

import ArgumentParser
import Foundation
import Translation

extension StyleTrainingPreset: ExpressibleByArgument {}

struct TrainStyle: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train-style",
    abstract: "Train a feed-forward style network (Johnson et al. 2016) for one style image.",
    discussion: """
      Examples:
        translate train-style --style art.jpg --content-dir in -o art.safetensors
        translate --model art.safetensors photos/ -o painted/
      """)

  @Option(help: "The style image (PNG or JPEG).") var style: String
  @Option(help: "Folder of content images (searched recursively).") var contentDir: String
  @Option(name: .shortAndLong, help: "Output model (.safetensors).") var output: String
  @Option(help: "Settings to start from: quick (minutes on a CPU, 128 px) or standard (Johnson's, 256 px).")
  var preset = StyleTrainingPreset.quick
  @Option(help: "Side of the square training crops (multiple of 4).") var size: Int?
  @Option(help: "Training steps.") var iterations: Int?
  @Option(help: "Images per step.") var batchSize: Int?
  @Option(help: "Weight of the (relative) Gram style loss.") var styleWeight: Float?
  @Option(help: "Weight of the (relative) content loss.") var contentWeight: Float?
  @Option(help: "Weight of the total-variation loss.") var tvWeight: Float?
  @Option(help: "Adam learning rate.") var learningRate: Float?
  @Option(help: "Transformer width (Johnson: 32).") var baseFilters: Int?
  @Option(help: "Seed of the initialization and the crops.") var seed: UInt64 = 0
  @Option(help: "VGG-16/19 safetensors file with torchvision names (default: the random multi-scale network).")
  var features: String?
  @Option(help: "VGG layer set: gatys or johnson.") var layers = VGGLayerSet.johnson
  @OptionGroup var compute: ThreadsOption

  func validate() throws {
    if let size, size < 16 || size % 4 != 0 { throw ValidationError("--size must be a multiple of 4, at least 16") }
    if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    // The widths a style model file may declare (ModelDescription): a wider network could not be loaded again.
    let widths = GeneratorArchitecture.Limits.baseFilters
    if let baseFilters, !widths.contains(baseFilters) {
      throw ValidationError("--base-filters must be in \(widths.lowerBound)...\(widths.upperBound), got \(baseFilters)")
    }
    for w in [styleWeight, contentWeight, tvWeight].compactMap({ $0 }) where !(w >= 0 && w.isFinite) {
      throw ValidationError("loss weights must be finite and non-negative")
    }
    if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
      throw ValidationError("--learning-rate must be positive")
    }
  }

  func run() throws {
    compute.apply()
    var c = StyleTrainingConfiguration(preset: preset)
    if let size { c.size = size }
    if let iterations { c.iterations = iterations }
    if let batchSize { c.batchSize = batchSize }
    if let styleWeight { c.styleWeight = styleWeight }
    if let contentWeight { c.contentWeight = contentWeight }
    if let tvWeight { c.tvWeight = tvWeight }
    if let learningRate { c.learningRate = learningRate }
    if let baseFilters { c.baseFilters = baseFilters }
    c.seed = seed
    if let features { c.features = .vgg(path: features, layers: layers) }
    let every = max(1, c.iterations / 20)
    let history = try FastStyleTraining.train(
      stylePath: style, contentFolder: contentDir, outputPath: output,
      configuration: c
    ) { s in
      guard s.iteration % every == 0 || s.iteration == c.iterations - 1 else { return }
      print(
        String(
          format: "iter %5d  total %.4f  style %.4f  content %.4f  tv %.5f  %.2f img/s", s.iteration, s.total,
          s.style, s.content, s.totalVariation, s.imagesPerSecond))
    }
    let window = max(1, min(20, history.count / 5))
    let first = history.prefix(window).map(\.total).reduce(0, +) / Float(window)
    let last = history.suffix(window).map(\.total).reduce(0, +) / Float(window)
    print(
      String(format: "total loss %.4f → %.4f (mean of first and last %d steps); wrote %@", first, last, window, output))
  }
}
