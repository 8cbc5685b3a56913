// Planning a run and its memory: folder trees mapped to outputs, format changes, refusals before work,
// byte-count parsing, and when the memory estimate makes the planner tile.

import Foundation
import TestSupport
import Testing

@testable import Translation

@Suite struct InferenceJobTests {
  func makeTree() throws -> String {
    let root = try makeTemporaryFolder("job")
    try FileManager.default.createDirectory(atPath: root + "/in/sub", withIntermediateDirectories: true)
    for name in ["in/a.png", "in/sub/b.JPG", "in/notes.txt"] {
      _ = FileManager.default.createFile(atPath: root + "/" + name, contents: Data([0]))
    }
    return root
  }

  @Test func folderTreeMapsUnderTheOutputWithFormatChanges() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let same = try TranslationJob.plan(inputs: [root + "/in"], output: root + "/out")
    #expect(same.items.map(\.output) == [root + "/out/a.png", root + "/out/sub/b.JPG"])
    #expect(same.items.map(\.encoding) == [.png, .jpeg(quality: 92)])
    let png = try TranslationJob.plan(inputs: [root + "/in"], output: root + "/out", format: .png)
    #expect(png.items.map(\.output) == [root + "/out/a.png", root + "/out/sub/b.png"])
    let two = try TranslationJob.plan(
      inputs: [root + "/in", root + "/in/a.png"], output: root + "/out2",
      format: .jpeg, quality: 80)
    #expect(two.items.map(\.output) == [root + "/out2/in/a.jpg", root + "/out2/in/sub/b.JPG", root + "/out2/a.jpg"])
    #expect(two.items.last?.encoding == .jpeg(quality: 80))
  }

  @Test func refusesOutputsInsideInputsOrOnInputs() throws {
    let root = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(throws: TranslationJobError.outputInsideInput(output: root + "/in/out", input: root + "/in")) {
      try TranslationJob.plan(inputs: [root + "/in"], output: root + "/in/out")
    }
    #expect(throws: TranslationJobError.outputInsideInput(output: root + "/in/", input: root + "/in")) {
      try TranslationJob.plan(inputs: [root + "/in"], output: root + "/in/")
    }
    #expect(throws: TranslationJobError.outputIsInput(path: root + "/in/../in/a.png")) {
      try TranslationJob.plan(inputs: [root + "/in/a.png"], output: root + "/in/../in/a.png")
    }
    #expect(
      throws: TranslationJobError.duplicateOutput(
        path: root + "/o/a.png", first: root + "/in/a.png",
        second: root + "/x/a.jpg")
    ) {
      try FileManager.default.createDirectory(atPath: root + "/x", withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: root + "/x/a.jpg", contents: Data([0]))
      return try TranslationJob.plan(
        inputs: [root + "/in/a.png", root + "/x/a.jpg"], output: root + "/o", format: .png)
    }
    #expect(throws: TranslationJobError.formatConflict(path: root + "/o.png", format: .jpeg)) {
      try TranslationJob.plan(inputs: [root + "/in/a.png"], output: root + "/o.png", format: .jpeg)
    }
    #expect(throws: TranslationJobError.inputMissing(path: root + "/nope")) {
      try TranslationJob.plan(inputs: [root + "/nope"], output: root + "/o")
    }
  }

  @Test func byteCountsParseBinaryUnits() {
    #expect(ByteCount(parsing: "512M")?.bytes == 512 << 20)
    #expect(ByteCount(parsing: "2G")?.bytes == 2 << 30)
    #expect(ByteCount(parsing: "1.5GiB")?.bytes == 3 << 29)
    #expect(ByteCount(parsing: "64kb")?.bytes == 64 << 10)
    #expect(ByteCount(parsing: "1000")?.bytes == 1000)
    for bad in ["", "G", "-1G", "2X", "abc"] { #expect(ByteCount(parsing: bad) == nil, "\(bad)") }
    #expect(ByteCount.defaultBudget.description == "2 GiB")
  }

  @Test func plannerTilesOnlyWhenTheEstimateExceedsTheBudget() {
    let resnet9 = GeneratorArchitecture.preset(.resnet9)
    let planner = ForwardPlanner(architecture: resnet9, fastStatistics: true)
    #expect(planner.plan(width: 1024, height: 1024) == .whole)
    let small = resnet9.forwardBytes(width: 256, height: 256)
    let large = resnet9.forwardBytes(width: 512, height: 512)
    #expect(large > small && large - small > 3 * (small - resnet9.forwardBytes(width: 128, height: 128)))
    guard case .tiled(let grid, let statistics) = planner.plan(width: 6000, height: 4000) else {
      Issue.record("6000×4000 must be tiled under 2 GiB")
      return
    }
    guard case .downscaled(let w, let h) = statistics else {
      Issue.record("statistics must be downscaled")
      return
    }
    #expect(w % 4 == 0 && h % 4 == 0 && abs(Double(w) / Double(h) - 1.5) < 0.02)
    let available = planner.networkBudget(width: 6000, height: 4000)
    #expect(resnet9.forwardBytes(width: w, height: h) <= available)
    let window = grid.core + 2 * grid.halo
    #expect(resnet9.forwardBytes(width: window, height: window) <= available && grid.core >= ForwardPlanner.minimumCore)
    #expect(
      ForwardPlanner(architecture: resnet9, budget: ByteCount(bytes: 64 << 30)).plan(width: 6000, height: 4000)
        == .whole)
  }
}
