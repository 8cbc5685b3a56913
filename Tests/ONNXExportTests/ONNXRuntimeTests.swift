// Our exported generators run by onnxruntime (scripts/check_onnx_export.py) against our own forward pass, at two
// image sizes each: max |Δ| within 1e-4. Skipped — reported as such, never passed — when python3 cannot import
// onnxruntime (pip install onnxruntime).

import Foundation
import ONNXExport
import TestSupport
import Testing
import Translation
import TranslationTestSupport

/// True when `python3 -c "import onnxruntime"` succeeds.
let onnxRuntimeAvailable: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import onnxruntime"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  do { try process.run() } catch { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

@Suite struct ONNXRuntimeTests {
  @Test(
    .enabled(if: onnxRuntimeAvailable, "python3 cannot import onnxruntime"), arguments: exportedArchitectures.indices)
  func onnxRuntimeMatchesOurForwardPass(_ index: Int) throws {
    let (name, architecture) = exportedArchitectures[index]
    let (model, generator) = try exported(architecture)
    let folder = try makeTemporaryFolder("onnx")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let modelPath = folder + "/\(name).onnx"
    let casesPath = folder + "/\(name).safetensors"
    try Data(try model.serializedData()).write(to: URL(fileURLWithPath: modelPath))
    // Two sizes (multiples of the generator's size multiple), so the dynamic height and width are exercised.
    let m = architecture.sizeMultiple
    var cases: [(name: String, tensor: Tensor)] = []
    for (k, (h, w)) in [(m * 2, m * 2), (m * 3, m * 2 + (m == 4 ? 8 : m))].enumerated() {
      let x = randomTensor([1, architecture.inChannels, h, w], seed: UInt64(41 + k))
      let y = LayerMode.inference { generator(Variable(x)) }.value
      cases += [("input_\(k)", x), ("expected_\(k)", y)]
    }
    try SafeTensors.write(cases, to: casesPath)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", packageRoot.appendingPathComponent("scripts/check_onnx_export.py").path, modelPath, casesPath,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    print(output, terminator: "")
    #expect(process.terminationStatus == 0, "\(name): \(output)")
  }
}
