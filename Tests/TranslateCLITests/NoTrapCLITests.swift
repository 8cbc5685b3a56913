// Inputs that used to stop the real binary with a Swift runtime trap (signal 4) now give exit status 1 and a
// message naming the option or the file: equal eval domains, paired images of different sizes, an elongated
// style content image, architecture metadata out of range, and a checkpoint whose generator state has the
// wrong length.

import Foundation
import Testing
import Translation

@Suite struct NoTrapCLITests {
  @Test func evalWithTheSameDomainTwiceIsAnError() throws {
    let w = try Workspace()
    defer { w.remove() }
    for domain in ["day", "night"] { try w.writeImage("paired/\(domain)/x.png", width: 32, height: 32) }
    let r = try CLI.run(
      [
        "eval", "--model", "models/day2night.safetensors", "--paired", "paired", "--from", "day",
        "--to", "day",
      ], in: w.root)
    #expect(
      r.status == 1 && r.stderr.contains("--from and --to") && r.stderr.contains("'day'"), "\(r.status) \(r.stderr)")
  }

  @Test func evalJSONWritesTheInfinitePSNROfIdenticalImages() throws {
    let w = try Workspace()
    defer { w.remove() }
    // The same pattern as day and as night: the untranslated input equals the truth, PSNR +∞.
    for folder in ["data/day/1.png", "data/night/1.png", "paired/day/x.png", "paired/night/x.png"] {
      try w.writeImage(folder, width: 32, height: 32)
    }
    let r = try CLI.run(
      [
        "eval", "--model", "models/day2night.safetensors", "--paired", "paired", "--dataroot", "data",
        "--json",
      ], in: w.root)
    #expect(r.status == 0 && r.stdout.contains("\"inf\""), "\(r.status) \(r.stderr)")
  }

  @Test func evalWithAPairOfDifferentSizesIsAnError() throws {
    let w = try Workspace()
    defer { w.remove() }
    for domain in ["day", "night"] { try w.writeImage("data/\(domain)/1.png", width: 32, height: 32) }
    try w.writeImage("paired/day/x.png", width: 32, height: 32)
    try w.writeImage("paired/night/x.png", width: 40, height: 32)
    let r = try CLI.run(
      ["eval", "--model", "models/day2night.safetensors", "--paired", "paired", "--dataroot", "data"],
      in: w.root)
    #expect(
      r.status == 1 && r.stderr.contains("x.png") && r.stderr.contains("32×32×3 vs 40×32×3"), "\(r.status) \(r.stderr)")
  }

  @Test func styleWithAContentImageTooThinAtTheWorkingSizeIsAnError() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("wide.png", width: 2000, height: 60)
    try w.writeImage("style.png", width: 64, height: 64)
    let r = try CLI.run(
      [
        "style", "--content", "wide.png", "--style", "style.png", "--size", "32", "--iterations", "1",
        "-o", "out.png",
      ], in: w.root)
    #expect(r.status == 1 && r.stderr.contains("wide.png") && r.stderr.contains("32×1"), "\(r.status) \(r.stderr)")
    // An elongated style image only gives Gram statistics: it is cropped, not refused.
    try w.writeImage("content.png", width: 48, height: 40)
    let cropped = try CLI.run(
      [
        "style", "--content", "content.png", "--style", "wide.png", "--size", "32", "--iterations",
        "1", "-o", "out.png",
      ], in: w.root)
    #expect(cropped.status == 0, "\(cropped.stderr)")
  }

  @Test(arguments: [
    #"{"resnet":{"baseFilters":4,"blocks":-1,"dropout":false,"inChannels":3,"norm":"instance","outChannels":3,"padding":"reflect"}}"#,
    #"{"resnet":{"baseFilters":-4,"blocks":1,"dropout":false,"inChannels":3,"norm":"instance","outChannels":3,"padding":"reflect"}}"#,
    #"{"resnet":{"baseFilters":4,"blocks":1,"dropout":false,"inChannels":99999999,"norm":"instance","outChannels":3,"padding":"reflect"}}"#,
    #"{"unet":{"baseFilters":4,"downsamplings":0,"dropout":false,"inChannels":3,"norm":"instance","outChannels":3}}"#,
    #"{"unet":{"baseFilters":4,"downsamplings":40,"dropout":false,"inChannels":3,"norm":"instance","outChannels":3}}"#,
  ])
  func architectureMetadataOutOfRangeIsAnError(_ architecture: String) throws {
    let w = try Workspace()
    defer { w.remove() }
    let original = try SafeTensors.read(w.path("models/day2night.safetensors"))
    var metadata = original.metadata
    metadata["architecture"] = architecture
    try SafeTensors.write(
      try original.names.map { ($0, try original.tensor($0)) }, metadata: metadata, to: w.path("bad.safetensors"))
    try w.writeImage("in.png", width: 32, height: 32)
    let r = try CLI.run(["--model", "bad.safetensors", "in.png", "-o", "out.png"], in: w.root)
    #expect(r.status == 1 && r.stderr.contains("bad.safetensors"), "\(r.status) \(r.stderr)")
  }

  @Test func aPlainStateDictClaimingAHugeGeneratorIsAnError() throws {
    let w = try Workspace()
    defer { w.remove() }
    // Zero-sized tensors cost no bytes, so a tiny file can "hold" 10^8 filters; detection must refuse it.
    try SafeTensors.write(
      [
        ("model.1.weight", Tensor(zeros: [100_000_000, 0, 7, 7])),
        ("model.17.weight", Tensor(zeros: [3, 0, 7, 7])),
      ], to: w.path("huge.safetensors"))
    try w.writeImage("in.png", width: 32, height: 32)
    let r = try CLI.run(["--model", "huge.safetensors", "in.png", "-o", "out.png"], in: w.root)
    #expect(r.status == 1 && r.stderr.contains("huge.safetensors") && r.stderr.contains("out of range"), "\(r.stderr)")
  }

  @Test(arguments: [
    "abc", String(repeating: "f", count: 63), String(repeating: "f", count: 65),
    String(repeating: "g", count: 64), "-" + String(repeating: "1", count: 63),
  ])
  func resumingACheckpointWithAMalformedGeneratorStateIsAnError(_ state: String) throws {
    let w = try Workspace()
    defer { w.remove() }
    try HostileMetadataTests.trainTinyRun(w)
    let path = w.path("runs/a-b/checkpoint.safetensors")
    let original = try SafeTensors.read(path)
    var metadata = original.metadata
    metadata["pool_B.rng"] = state
    try SafeTensors.write(try original.names.map { ($0, try original.tensor($0)) }, metadata: metadata, to: path)
    let r = try CLI.run(
      [
        "train", "--from", "a", "--to", "b", "--dataroot", "data", "--preset", "tiny", "--resume",
        "--max-steps", "2", "--runs-dir", "runs", "--models-dir", "trained",
      ], in: w.root)
    #expect(
      r.status == 1 && r.stderr.contains("checkpoint.safetensors") && r.stderr.contains("pool_B.rng"), "\(r.stderr)")
  }
}

@Suite struct InspectCLITests {
  /// `inspect --checkerboard` on the real binary: the index of each decoded image, in text and JSON (≈ 1 for a
  /// smooth gradient, NaN written as "nan" for an image too small to measure).
  @Test func inspectMeasuresTheCheckerboardIndexWhenAsked() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("images/smooth.png", width: 64, height: 48)
    try w.writeImage("images/tiny.png", width: 4, height: 4)
    let text = try CLI.run(["inspect", "--checkerboard", "images"], in: w.root)
    #expect(text.status == 0 && text.stdout.contains("smooth.png: PNG 64x48 RGB 8-bit orientation 1 checkerboard "))
    let json = try CLI.run(["inspect", "--checkerboard", "--json", "images"], in: w.root)
    #expect(json.status == 0 && json.stdout.contains("\"checkerboard\" : \"nan\""), "\(json.stdout)")
    let plain = try CLI.run(["inspect", "images"], in: w.root)
    #expect(plain.status == 0 && !plain.stdout.contains("checkerboard"))
  }
}
