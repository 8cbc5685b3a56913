// `translate export MODEL -o OUT.onnx [--direction AtoB|BtoA]`: one generator as an ONNX model (opset 17, dynamic
// height and width). Logic: ONNXExport.

import ArgumentParser
import Foundation
import ONNXExport
import Translation

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a model's generator as ONNX (opset 17, dynamic height and width).",
    discussion: """
      translate export latest_net_G.pth -o horse2zebra.onnx
      translate export models/day-night.safetensors --direction BtoA -o night2day.onnx
      Check it with onnxruntime: python3 scripts/check_onnx_export.py OUT.onnx CASES.safetensors
      """)

  @Argument(help: "A model file: ours, a safetensors state_dict or a PyTorch .pth checkpoint.") var model: String
  @Option(name: .shortAndLong, help: "The .onnx file to write.") var output: String
  @Option(help: "Which generator of a two-generator file (AtoB or BtoA).") var direction: Direction?

  func run() throws {
    let loaded = try TranslationModel.load(model)
    try ONNXExporter.export(loaded, direction: direction, to: output)
    print("\(output): \(loaded.modelDescription.summary), opset \(ONNXExporter.opset)")
  }
}
