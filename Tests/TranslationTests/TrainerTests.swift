// `Trainer` end to end on tiny folders: resume equivalence, the non-finite stop, refusals before
// training, and the run folder's log and model.

import Foundation
import TestSupport
import Testing
import Translation
import TranslationTestSupport

@Suite struct TrainerTests {
  @Test func resumedTrainingEqualsUninterruptedTraining() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    // 5 items per epoch: 7 steps cross an epoch boundary and a learning-rate change.
    try Trainer.run(tinyOptions(root, run: "straight", steps: 14))
    try Trainer.run(tinyOptions(root, run: "split", steps: 7))
    let progress = try Trainer.run(tinyOptions(root, run: "split", steps: 14, resume: true))
    #expect(progress.step == 14 && progress.epoch == 3)
    let straight = try SafeTensors.read(root.appendingPathComponent("straight/checkpoint.safetensors").path)
    let split = try SafeTensors.read(root.appendingPathComponent("split/checkpoint.safetensors").path)
    #expect(straight.names == split.names)
    for name in straight.names { #expect(try straight.tensor(name) == split.tensor(name), "\(name)") }
    // The log holds each step once, in order, after the resume.
    let log = try String(contentsOf: root.appendingPathComponent("split/losses.csv"), encoding: .utf8)
    #expect(log.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] } == (1...14).map { "\($0)"[...] })
  }

  @Test func runFolderHoldsTheLogAndAModelTheRegistryCanRead() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    var events: [String] = []
    try Trainer.run(tinyOptions(root, run: "run", steps: 4)) { e in
      if case .checkpoint = e { events.append("checkpoint") }
      if case .finished = e { events.append("finished") }
    }
    #expect(events == ["checkpoint", "checkpoint", "finished"])  // step 3, then the end (step 4)
    let model = try TranslationModel.load(root.appendingPathComponent("run.safetensors").path)
    #expect(model.domainA == "a" && model.domainB == "b" && model.iterations == 4 && model.imageSize == 32)
    _ = try model.generator(.bToA)
  }

  @Test func aNonFiniteLossStopsTrainingAndKeepsTheLastCheckpoint() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    var o = tinyOptions(root, run: "nan", steps: 40)
    o.configuration.learningRate = 1e30
    #expect(throws: TrainingError.self) { try Trainer.run(o) }
    do { try Trainer.run(o) } catch let error as TrainingError {
      guard case .nonFiniteLoss(let step, let losses, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(step >= 1 && !losses.isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: o.modelPath.path))
  }

  @Test func badInputIsRefusedBeforeTraining() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    var missing = tinyOptions(root, run: "x", steps: 1)
    missing.domainB.folder = root.appendingPathComponent("nowhere")
    #expect(throws: TrainingDataError.self) { try Trainer.run(missing) }
    var tooBig = tinyOptions(root, run: "x", steps: 1)
    tooBig.augmentation.cropSize = 64
    #expect(
      throws: TrainingDataError.tooSmall(
        path: root.appendingPathComponent("a/0.png").path, width: 40, height: 40, crop: 64)
    ) {
      try Trainer.run(tooBig)
    }
    var odd = tinyOptions(root, run: "x", steps: 1)
    odd.augmentation.cropSize = 30
    #expect(throws: TrainingDataError.self) { try Trainer.run(odd) }
    // Numbers that used to trap (overflow, absurd networks, images smaller than the discriminator's field).
    var hostile: [TrainingOptions] = []
    for change in [
      { (o: inout TrainingOptions) in o.configuration.epochs = .max },
      { $0.configuration.discriminatorFilters = 100_000 },
      { $0.configuration.discriminatorLayers = 64 },
      { $0.augmentation = Augmentation(preprocess: .scaleWidth, loadSize: 8, cropSize: 32) },
      { $0.augmentation = Augmentation(preprocess: .resizeAndCrop, loadSize: 30, cropSize: 32) },
    ] {
      var o = tinyOptions(root, run: "x", steps: 1)
      change(&o)
      hostile.append(o)
    }
    for o in hostile { #expect(throws: TrainingDataError.self) { try Trainer.run(o) } }
    let empty = root.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    var none = tinyOptions(root, run: "x", steps: 1)
    none.domainA.folder = empty
    #expect(throws: TrainingDataError.emptyDomain(path: empty.path, reason: "no PNG or JPEG images")) {
      try Trainer.run(none)
    }
    var unwritable = tinyOptions(root, run: "x", steps: 1)
    unwritable.runDirectory = URL(fileURLWithPath: "/proc/translate-run")
    #expect(throws: TrainingError.self) { try Trainer.run(unwritable) }
  }
}

@Suite struct StyleInTrainingTests {
  @Test func styleLossEntersTheGeneratorObjectiveWhenEnabled() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    var plain = tinyOptions(root, run: "plain", steps: 2)
    plain.checkpointEvery = 2
    var styled = tinyOptions(root, run: "styled", steps: 2)
    styled.checkpointEvery = 2
    var style = try #require(styled.configuration as? CycleGANConfiguration)
    style.lambdaStyle = 5
    styled.configuration = style
    try Trainer.run(plain)
    try Trainer.run(styled)
    let log = try String(contentsOf: root.appendingPathComponent("styled/losses.csv"), encoding: .utf8)
    let last = log.split(separator: "\n").last!.split(separator: ",").compactMap { Float($0) }
    #expect(last.suffix(2).allSatisfy { $0 > 0 && $0.isFinite }, "style_A, style_B: \(last.suffix(2))")
    // Same seed and data: only the style term differs, so the generators must differ and the discriminators'
    // first step (before any generator update reaches them) must not.
    let a = try SafeTensors.read(root.appendingPathComponent("plain/checkpoint.safetensors").path)
    let b = try SafeTensors.read(root.appendingPathComponent("styled/checkpoint.safetensors").path)
    #expect(try a.tensor("G_A.model.1.weight") != b.tensor("G_A.model.1.weight"))
  }
}
