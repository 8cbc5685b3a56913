// `translate style --content C --style S -o OUT`: neural style transfer by optimizing the pixels
// (library: Translation/Style/StyleTransfer.swift). Parses, validates, calls the library, prints progress.

import ArgumentParser
import Foundation
import Translation

extension StyleInitialization: ExpressibleByArgument {}
extension VGGLayerSet: ExpressibleByArgument {}

struct Style: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Repaint a content image in the style of another image (Gatys et al. 2016, Adam on the pixels).",
    discussion: """
      Examples:
        translate style --content photo.jpg --style painting.jpg -o painted.jpg
        translate style --content photo.jpg --style art.jpg -o out.png --size 512
        translate style --content photo.jpg --style art.jpg -o out.jpg --init noise
      """)

  @Option(help: "The content image (PNG or JPEG).") var content: String
  @Option(help: "The style image (PNG or JPEG).") var style: String
  @Option(name: .shortAndLong, help: "Output file (.png, .jpg); written at the content image's size.") var output:
    String
  @Option(help: "Longer side of the optimized image, in pixels.") var size = 256
  @Option(help: "Optimization steps.") var iterations = 300
  @Option(help: "Weight of the (relative) Gram style loss.") var styleWeight: Float = 20
  @Option(help: "Weight of the (relative) content loss.") var contentWeight: Float = 1
  @Option(help: "Weight of the total-variation smoothness loss.") var tvWeight: Float = 0.1
  @Option(name: .customLong("init"), help: "Starting image: content or noise.") var initialization = StyleInitialization
    .content
  @Option(help: "Seed of the noise start.") var seed: UInt64 = 0
  @Option(help: "Adam step size in [−1, 1] pixel units.") var learningRate: Float = 0.02
  @Option(help: "VGG-16/19 safetensors file with torchvision names (default: the random multi-scale network).")
  var features: String?
  @Option(help: "VGG layer set: gatys or johnson.") var layers = VGGLayerSet.gatys
  @OptionGroup var compute: ThreadsOption

  func validate() throws {
    guard size >= 16 else { throw ValidationError("--size must be at least 16, got \(size)") }
    guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
    guard [styleWeight, contentWeight, tvWeight].allSatisfy({ $0 >= 0 && $0.isFinite }) else {
      throw ValidationError("loss weights must be finite and non-negative")
    }
    guard learningRate > 0 && learningRate.isFinite else { throw ValidationError("--learning-rate must be positive") }
  }

  func run() throws {
    compute.apply()
    var c = StyleTransferConfiguration()
    c.size = size
    c.iterations = iterations
    c.styleWeight = styleWeight
    c.contentWeight = contentWeight
    c.tvWeight = tvWeight
    c.initialization = initialization
    c.seed = seed
    c.learningRate = learningRate
    c.features = features.map { .vgg(path: $0, layers: layers) } ?? .random(seed: RandomFeatureNetwork.defaultSeed)
    let every = max(1, iterations / 20)
    let clock = ContinuousClock()
    let began = clock.now
    let result = try StyleTransfer.run(contentPath: content, stylePath: style, outputPath: output, configuration: c) {
      s in
      guard s.iteration % every == 0 || s.iteration == iterations - 1 else { return }
      print(line(s))
    }
    print("final  " + line(result.final).dropFirst(6))
    print("wrote \(output) in \(String(format: "%.1f", (clock.now - began) / .seconds(1))) s")
  }

  private func line(_ s: StyleTransferStep) -> String {
    String(
      format: "iter %4d  total %.4f  style %.4f  content %.4f  tv %.5f  %.2f it/s", s.iteration, s.total, s.style,
      s.content, s.totalVariation, s.iterationsPerSecond)
  }
}
