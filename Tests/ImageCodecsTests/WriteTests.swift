// Atomic writes: the file appears whole, no temporary file is left, inputs are never replaced (whatever
// the spelling of their path), and the refuse policy keeps existing files.
import Foundation
import TestSupport
import Testing

@testable import ImageCodecs

@Suite struct WriteTests {
  let image = Image.random(width: 9, height: 7, channels: 3, bitDepth: 8, seed: 5)

  @Test func writeThenLoadRoundTripsAndLeavesNoTemporaryFile() throws {
    let folder = URL(fileURLWithPath: try makeTemporaryFolder("imagecodecs"))
    let path = folder.appendingPathComponent("out.png").path
    try ImageWriter.write(image, to: path)
    try ImageWriter.write(image, to: path)  // replacing is the default
    #expect(try ImageDecoder.load(path: path).image == image)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.png"])
  }

  @Test func formatFollowsTheExtension() throws {
    let folder = URL(fileURLWithPath: try makeTemporaryFolder("imagecodecs"))
    let path = folder.appendingPathComponent("photo.JPG").path
    try ImageWriter.write(image, to: path)
    #expect(try ImageDecoder.load(path: path).format == .jpeg)
    #expect(throws: ImageCodecError.self) {
      try ImageWriter.write(image, to: folder.appendingPathComponent("x.bmp").path)
    }
  }

  @Test func refusesToReplaceAnInput() throws {
    let folder = URL(fileURLWithPath: try makeTemporaryFolder("imagecodecs"))
    let input = folder.appendingPathComponent("in.png").path
    try ImageWriter.write(image, to: input)
    let inputs = ProtectedFiles(paths: [input])
    let otherSpelling = folder.appendingPathComponent("./sub/../in.png").path
    try FileManager.default.createDirectory(
      atPath: folder.appendingPathComponent("sub").path, withIntermediateDirectories: true)
    let black = Image(width: 2, height: 2, channels: 3)
    #expect(throws: ImageCodecError.wouldOverwriteInput(path: otherSpelling)) {
      try ImageWriter.write(black, to: otherSpelling, protecting: inputs)
    }
    #expect(try ImageDecoder.load(path: input).image == image)
    try ImageWriter.write(black, to: folder.appendingPathComponent("out.png").path, protecting: inputs)
  }

  @Test func refusePolicyKeepsExistingFiles() throws {
    let path = URL(fileURLWithPath: try makeTemporaryFolder("imagecodecs")).appendingPathComponent("a.png").path
    try ImageWriter.write(image, to: path, overwrite: .refuse)
    #expect(throws: ImageCodecError.destinationExists(path: path)) {
      try ImageWriter.write(Image(width: 1, height: 1, channels: 1), to: path, overwrite: .refuse)
    }
    #expect(try ImageDecoder.load(path: path).image == image)
  }

  @Test func unwritableFolderIsATypedError() {
    #expect {
      try ImageWriter.write(image, to: "/nonexistent-folder/a.png")
    } throws: { error in
      guard case .writeFailed(let path, _) = error as? ImageCodecError else { return false }
      return path == "/nonexistent-folder/a.png"
    }
  }
}
