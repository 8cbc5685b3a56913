// Event files read back by TensorBoard itself: tags, steps and values of scalars and images written directly,
// and of a real (tiny) training run followed by TensorBoardLog.

import Foundation
import TestSupport
import Testing
import Translation
import TranslationTestSupport

@testable import TensorBoardEvents

@Suite struct EventFileTests {
  @Test(.enabled(if: TensorBoardReader.available, "needs python3 with the tensorboard package (scripts/deps.sh)"))
  func scalarsAndAnImageReadBackWithTheirTagsStepsAndValues() throws {
    let folder = URL(fileURLWithPath: try makeTemporaryFolder("events"))
    defer { try? FileManager.default.removeItem(at: folder) }
    let writer = try EventFileWriter(folder: folder)
    #expect((writer.path as NSString).lastPathComponent.hasPrefix("events.out.tfevents."))
    for step in 1...3 {
      try writer.scalars([("loss/G", 0.5 * Float(step)), ("learning_rate", 2e-4)], step: step)
    }
    try writer.scalar("loss/G", .pi, step: 10)
    let png = try ImageEncoder.encode(Image(width: 5, height: 3, channels: 3), options: .png)
    try writer.image("samples", png: png, width: 5, height: 3, channels: 3, step: 7)
    try writer.flush()

    let contents = try TensorBoardReader.read(folder)
    #expect(contents.records == 1 + 3 + 1 + 1)
    #expect(contents.series("loss/G").map(\.step) == [1, 2, 3, 10])
    #expect(contents.series("loss/G").map(\.value) == [0.5, 1, 1.5, .pi])
    #expect(contents.series("learning_rate").map(\.value) == [2e-4, 2e-4, 2e-4])
    #expect(contents.images["samples"] == [[.number(7), .number(5), .number(3), .text("89504e470d0a1a0a")]])
  }

  @Test(.enabled(if: TensorBoardReader.available, "needs python3 with the tensorboard package (scripts/deps.sh)"))
  func aTrainingRunLogsEveryLossTheLearningRateSpeedAndSamples() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    let options = tinyOptions(root, run: "run", steps: 4)  // checkpoints at steps 3 and 4
    let log = TensorBoardLog(directory: root.appendingPathComponent("tb"))
    var records: [LossRecord] = []
    var columns: [String] = []
    var grids: [Int: Image] = [:]
    try Trainer.run(options) { event in
      if case .started(let start) = event { columns = start.lossColumns }
      if case .step(let record) = event { records.append(record) }
      if case .checkpoint(_, let progress, let samples) = event { grids[progress.step] = samples.grid() }
      try log.handle(event)
    }
    let contents = try TensorBoardReader.read(root.appendingPathComponent("tb/a-b"))
    // The run's losses: CycleGAN's eight, not the style terms it does not use.
    let losses = columns
    #expect(losses.count == 8 && losses.contains("cycle_A") && losses.contains("D_B") && !losses.contains("style_A"))
    #expect(
      Set(contents.scalars.keys) == Set(losses.map { "loss/\($0)" } + ["learning_rate", "images_per_second"]))
    for name in losses {
      #expect(contents.series("loss/\(name)").map(\.step) == [1, 2, 3, 4])
      #expect(contents.series("loss/\(name)").map(\.value) == records.map { $0.loss(name)! }, "\(name)")
    }
    #expect(contents.series("learning_rate").map(\.value) == records.map(\.learningRate))
    #expect(
      contents.series("images_per_second").count == 4
        && contents.series("images_per_second").allSatisfy { $0.value > 0 })
    let grid = try #require(grids[4])
    #expect(
      contents.images["samples"]?.map { Array($0.prefix(3)) }
        == [3, 4].map {
          [.number($0), .number(grid.width), .number(grid.height)]
        })
  }
}
