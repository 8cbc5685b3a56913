// Running the real `translate` binary (built beside the test bundle) on fixtures made in a temporary folder:
// tiny model files and small images.

import Foundation
import TestSupport
import Testing
import Translation
import TranslationTestSupport

/// The result of one run of the binary.
struct RunResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum CLI {
  /// `translate` in the folder of the test bundle (SwiftPM builds every product of the package there).
  static let binary: String = {
    let candidates = [CommandLine.arguments[0], Bundle.main.bundlePath, Bundle.main.executablePath ?? ""]
      .map { (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("translate") }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }()

  /// Runs `translate arguments…` in `directory` and waits. The user's own model folders stay out of the search
  /// path ($TRANSLATE_MODELS unset, $XDG_DATA_HOME inside `directory`) unless `environment` sets them; a nil
  /// value there removes a variable.
  static func run(
    _ arguments: [String], in directory: String, environment extra: [String: String?] = [:], binary: String = binary
  ) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    // The kernels this process runs, so that the binary's numbers are the library's here to the last bit (the
    // binary would otherwise restart itself with better kernels than a VM's generic ones: BLASKernels.swift).
    environment["OPENBLAS_CORETYPE"] = BLASKernels.current
    environment["TRANSLATE_MODELS"] = nil
    environment["XDG_DATA_HOME"] = directory + "/.xdg-data"
    for (name, value) in extra { environment[name] = value }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting: a full pipe would block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A temporary folder with a `models/` folder holding a tiny day ↔ night model.
struct Workspace {
  let root: String

  init() throws {
    root = try makeTemporaryFolder("cli")
    try FileManager.default.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
    // Our two-generator model file: ResNet, 1 block, 4 filters.
    try saveTinyModel(
      root + "/models/day2night.safetensors", "day", "night",
      configuration: tinyConfiguration(seed: 0, dropout: false), iterations: 20, imageSize: 32)
  }

  func remove() { try? FileManager.default.removeItem(atPath: root) }

  func path(_ relative: String) -> String { root + "/" + relative }

  /// A plain generator state_dict with random N(0, gain²) weights.
  func savePlainGenerator(_ relative: String, _ architecture: GeneratorArchitecture, gain: Float = 0.05) throws {
    try SafeTensors.write(randomGenerator(architecture, seed: 11, gain: gain).stateDict(), to: path(relative))
  }

  /// Writes a patterned image (format from the extension) and returns it.
  @discardableResult
  func writeImage(_ relative: String, width: Int, height: Int, channels: Int = 3, bitDepth: Int = 8) throws -> Image {
    let folder = (path(relative) as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let top = bitDepth == 8 ? 255 : 65535
    var image = Image(width: width, height: height, channels: channels, bitDepth: bitDepth)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          let v = (Double(x * (c + 1) + 3 * y).truncatingRemainder(dividingBy: 37)) / 36
          image[x, y, c] = UInt16(
            Double(top) * (c == channels - 1 && channels % 2 == 0 ? Double(x) / Double(width) : v))
        }
      }
    }
    try ImageWriter.write(image, to: path(relative))
    return image
  }

  func read(_ relative: String) throws -> DecodedImage { try ImageDecoder.load(path: path(relative)) }
  func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
}
