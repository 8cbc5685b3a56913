// `translate train --method cut|fastcut` on the real binary, end to end at tiny size: train, resume (equal to an
// uninterrupted run), translate with --model and with --from/--to (and a clear refusal the other way), and the
// options of other methods refused.

import Foundation
import Testing
import Translation

@Suite struct CUTCLITests {
  /// Three unpaired images in each of datasets/horses and datasets/zebras (40×40, cropped to the tiny 32²).
  static func workspace() throws -> Workspace {
    let w = try Workspace()
    for name in ["p", "q", "r"] {
      try w.writeImage("datasets/horses/\(name).png", width: 40, height: 40)
      let image = try w.writeImage("datasets/zebras/\(name)z.png", width: 40, height: 40)
      var negative = image
      negative.samples = image.samples.map { 255 - $0 }
      try ImageWriter.write(negative, to: w.path("datasets/zebras/\(name)z.png"))
    }
    return w
  }

  static let train = [
    "train", "--preset", "tiny", "--from", "horses", "--to", "zebras", "--checkpoint-every", "2",
  ]

  @Test func fastCUTResumesExactlyAndTranslatesOneWay() throws {
    let w = try Self.workspace()
    defer { w.remove() }
    let first = try CLI.run(
      Self.train + ["--method", "fastcut", "--max-steps", "2", "--tensorboard", "tb"], in: w.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("FastCUT: training on 3 + 3 images"), "\(first.stdout)")
    let events = try FileManager.default.contentsOfDirectory(atPath: w.path("tb/horses-zebras"))
    #expect(events.count == 1 && events[0].hasPrefix("events.out.tfevents."), "\(events)")
    #expect(
      first.stdout.contains("written to /") && first.stdout.contains("/models/horses-zebras.safetensors (--models-dir"))
    // Resume without --method: the checkpoint says fastcut.
    let resumed = try CLI.run(Self.train + ["--resume", "--max-steps", "4"], in: w.root)
    #expect(resumed.status == 0 && resumed.stdout.contains("resuming at step 2"), "\(resumed.stderr)")
    #expect(resumed.stdout.contains("FastCUT: training on"), "\(resumed.stdout)")
    let log = try String(contentsOfFile: w.path("runs/horses-zebras/losses.csv"), encoding: .utf8)
    #expect(
      log.hasPrefix("step,epoch,iteration,seconds,learning_rate,G_GAN,D_real,D_fake,G,NCE,NCE_Y\n")
        && log.split(separator: "\n").count == 5, "\(log)")

    // Four steps in one go: the same tensors and random state as 2 + 2.
    let whole = try CLI.run(
      Self.train + ["--method", "fastcut", "--max-steps", "4", "--runs-dir", "runs2", "--models-dir", "models2"],
      in: w.root)
    #expect(whole.status == 0, "\(whole.stderr)")
    let (split, once) = (
      try SafeTensors.read(w.path("runs/horses-zebras/checkpoint.safetensors")),
      try SafeTensors.read(w.path("runs2/horses-zebras/checkpoint.safetensors"))
    )
    #expect(split.metadata["method"] == "fastcut" && split.metadata["format"] == CUT.checkpointFormat)
    #expect(split.metadata["rng"] == once.metadata["rng"])
    #expect(
      split.tensors.keys.sorted() == once.tensors.keys.sorted() && split.tensors.keys.contains { $0.hasPrefix("F.") })
    for (name, tensor) in split.tensors { #expect(tensor == once.tensors[name], "\(name)") }
    #expect(
      try SafeTensors.read(w.path("models/horses-zebras.safetensors")).tensors
        == SafeTensors.read(w.path("models2/horses-zebras.safetensors")).tensors)

    try translatesOnlyAToB(w)
  }

  @Test func cutTrainsWithItsOwnOptions() throws {
    let w = try Self.workspace()
    defer { w.remove() }
    let run = try CLI.run(
      Self.train + [
        "--method", "cut", "--max-steps", "2", "--lambda-nce", "2", "--nce-layers", "0,4,8", "--patches", "16",
        "--nce-temperature", "0.1", "--flip-equivariance",
      ], in: w.root)
    #expect(run.status == 0 && run.stdout.contains("CUT: training on 3 + 3 images"), "\(run.stderr)")
    let checkpoint = try SafeTensors.read(w.path("runs/horses-zebras/checkpoint.safetensors"))
    #expect(checkpoint.metadata["method"] == "cut")
    let c = try JSONDecoder().decode(CUTConfiguration.self, from: Data(checkpoint.metadata["configuration"]!.utf8))
    #expect(c.mode == .cut && c.identityNCE && c.lambdaNCE == 2 && c.nceLayers == [0, 4, 8] && c.patches == 16)
    #expect(c.temperature == 0.1 && c.flipEquivariance && c.generator == TrainingPreset.tiny.configuration.generator)
    let report = try String(contentsOfFile: w.path("runs/horses-zebras/report.html"), encoding: .utf8)
    #expect(report.contains("<h1>CUT horses → zebras</h1>"))
    try translatesOnlyAToB(w)
  }

  /// models/horses-zebras.safetensors translates horses → zebras by file and by name, and is refused by name
  /// the other way.
  func translatesOnlyAToB(_ w: Workspace) throws {
    let model = "models/horses-zebras.safetensors"
    let byFile = try CLI.run(["--model", model, "datasets/horses/p.png", "-o", "out1.png"], in: w.root)
    #expect(byFile.status == 0 && w.exists("out1.png"), "\(byFile.stderr)")
    let byName = try CLI.run(
      ["--from", "horses", "--to", "zebras", "datasets/horses/p.png", "-o", "out2.png"], in: w.root)
    #expect(byName.status == 0, "\(byName.stderr)")
    #expect(try w.read("out1.png").image == w.read("out2.png").image)
    let back = try CLI.run(
      ["--from", "zebras", "--to", "horses", "datasets/zebras/pz.png", "-o", "out3.png"], in: w.root)
    #expect(
      back.status != 0 && back.stderr.contains(model) && back.stderr.contains("translates only horses → zebras"),
      "\(back.stderr)")
    let backByFile = try CLI.run(
      ["--model", model, "--from", "zebras", "--to", "horses", "datasets/zebras/pz.png", "-o", "out4.png"], in: w.root)
    #expect(
      backByFile.status != 0 && backByFile.stderr.contains("translates only horses → zebras"), "\(backByFile.stderr)")
  }

  @Test func optionsOfOtherMethodsAreRefused() throws {
    let w = try Workspace()
    defer { w.remove() }
    let refusals: [([String], String)] = [
      (["--lambda-nce", "2"], "--lambda-nce is a cut/fastcut option"),
      (["--method", "pix2pix", "--patches", "8"], "--patches is a cut/fastcut option"),
      (["--no-flip-equivariance"], "--[no-]flip-equivariance is a cut/fastcut option"),
      (["--method", "fastcut", "--pool-size", "3"], "--pool-size is a cyclegan option; FastCUT has no image pool"),
      (["--method", "cut", "--lambda-identity", "0.5"], "--lambda-identity is a cyclegan option"),
      (["--method", "cut", "--lambda-l1", "10"], "--lambda-l1 is a pix2pix option"),
      (["--method", "cut", "--paired"], "--paired trains pix2pix; it cannot go with --method cut"),
      (["--method", "cut", "--patches", "0"], "--patches must be at least 1"),
      (["--method", "cut", "--nce-temperature", "0"], "--nce-temperature must be positive"),
      (["--method", "cut", "--nce-layers", "0,x"], "--nce-layers"),
      (["--method", "fastcut", "--generator", "unet_128"], "FastCUT contrasts a ResNet generator's layers"),
    ]
    for (options, message) in refusals {
      let result = try CLI.run(["train", "--from", "a", "--to", "b"] + options, in: w.root)
      #expect(result.status != 0 && result.stderr.contains(message), "\(options): \(result.stderr)")
    }
  }
}
