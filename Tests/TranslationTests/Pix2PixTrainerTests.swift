// pix2pix through the method-generic trainer on tiny aligned folders: pairs by name (unmatched files reported),
// resume equivalence, and a one-direction model file that translates A → B only.

import Foundation
import TestSupport
import Testing
import Translation
import TranslationTestSupport

@Suite struct Pix2PixTrainerTests {
  @Test func resumedTrainingEqualsUninterruptedTraining() throws {
    let root = try tinyPairedDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    // 4 pairs per epoch: 7 steps cross an epoch boundary and a learning-rate change mid-run; dropout is on, so
    // its generators' states must travel in the checkpoint too.
    try Trainer.run(tinyPix2PixOptions(root, run: "straight", steps: 10))
    try Trainer.run(tinyPix2PixOptions(root, run: "split", steps: 5))
    let progress = try Trainer.run(tinyPix2PixOptions(root, run: "split", steps: 10, resume: true))
    #expect(progress.step == 10 && progress.epoch == 3)
    let straight = try SafeTensors.read(root.appendingPathComponent("straight/checkpoint.safetensors").path)
    let split = try SafeTensors.read(root.appendingPathComponent("split/checkpoint.safetensors").path)
    #expect(straight.names == split.names && straight.names.contains("G.model.model.0.weight"))
    for name in straight.names { #expect(try straight.tensor(name) == split.tensor(name), "\(name)") }
    let log = try String(contentsOf: root.appendingPathComponent("split/losses.csv"), encoding: .utf8)
    let lines = log.split(separator: "\n")
    #expect(lines.first == "step,epoch,iteration,seconds,learning_rate,G_GAN,G_L1,D_real,D_fake")
    #expect(lines.dropFirst().map { $0.split(separator: ",")[0] } == (1...10).map { "\($0)"[...] })
  }

  @Test func pairsAreMatchedByNameAndUnmatchedFilesReported() throws {
    let root = try tinyPairedDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    var start: TrainingStart?
    try Trainer.run(tinyPix2PixOptions(root, run: "run", steps: 1)) { if case .started(let s) = $0 { start = s } }
    let s = try #require(start)
    #expect(s.itemsA == 4 && s.iterationsPerEpoch == 4 && s.configuration.method == .pix2pix)
    #expect(
      s.skipped.count == 2
        && s.skipped.contains { $0.hasSuffix("a/4.png: no image of the same name in \(root.path)/b") }
        && s.skipped.contains { $0.contains("b/9.png") })
    #expect(s.lossColumns == ["G_GAN", "G_L1", "D_real", "D_fake"])
  }

  @Test func theSameCropAndFlipReachBothImagesOfAPair() throws {
    let root = try tinyPairedDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    // B's images replaced by A's: every batch must then be the same tensor on both sides.
    for name in ["0", "1", "2", "3"] {
      let b = root.appendingPathComponent("b/\(name).png")
      try FileManager.default.removeItem(at: b)
      try FileManager.default.copyItem(at: root.appendingPathComponent("a/\(name).png"), to: b)
    }
    let augmentation = Augmentation(preprocess: .crop, loadSize: 40, cropSize: 32, flip: true)
    let data = try PairedData(
      a: ("a", root.appendingPathComponent("a")), b: ("b", root.appendingPathComponent("b")),
      augmentation: augmentation)
    for epoch in 1...3 {
      let batches = data.batches(augmentation: augmentation, batchSize: 1, channels: 3, seed: 5, epoch: epoch)
      var count = 0
      while let (a, b) = batches.next() {
        #expect(a == b)
        count += 1
      }
      #expect(count == 4)
    }
  }

  @Test func theModelFileTranslatesAToBOnly() throws {
    let root = try tinyPairedDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    let o = tinyPix2PixOptions(root, run: "run", steps: 2)
    try Trainer.run(o)
    let model = try TranslationModel.load(o.modelPath.path)
    #expect(model.modelDescription.directions == [.aToB] && !model.hasBothDirections)
    #expect(model.domainA == "a" && model.domainB == "b" && model.modelDescription.domains == "a → b")
    #expect(model.architecture == tinyPix2PixConfiguration().generator)
    _ = try model.generator(.aToB)
    #expect(throws: ModelFileError.oneDirection(path: o.modelPath.path, domainA: "a", domainB: "b")) {
      try model.generator(.bToA)
    }
    let registry = try ModelRegistry(folder: root.path)
    #expect(try registry.find(from: "a", to: "b").direction == .aToB)
    #expect(throws: ModelLookupError.onlyOtherDirection(from: "b", to: "a", paths: [o.modelPath.path])) {
      try registry.find(from: "b", to: "a")
    }
  }
}
