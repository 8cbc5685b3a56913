// `translate convert MODEL -o OUT.safetensors [--direction AtoB|BtoA]`: a .pth (or any model file we read) as a
// plain junyanz generator state_dict in safetensors. Logic: Translation/ModelConversion.swift.

import ArgumentParser
import Foundation
import Translation

struct Convert: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a model's generator as a plain junyanz state_dict in safetensors (reads .pth without Python).",
    discussion: """
      translate convert latest_net_G.pth -o horse2zebra.safetensors
      translate convert models/day-night.safetensors --direction BtoA -o night2day.safetensors
      """)

  @Argument(help: "A model file: a PyTorch .pth checkpoint, a safetensors state_dict, or one of ours.") var model:
    String
  @Option(name: .shortAndLong, help: "The safetensors file to write.") var output: String
  @Option(help: "Which generator of a two-generator file (AtoB or BtoA).") var direction: Direction?

  func validate() throws {
    guard (output as NSString).standardizingPath != (model as NSString).standardizingPath else {
      throw ValidationError("-o must differ from the model file")
    }
  }

  func run() throws {
    let loaded = try TranslationModel.load(model)
    try loaded.convert(direction: direction, to: output)
    print("\(output): \(loaded.modelDescription.summary)")
  }
}
