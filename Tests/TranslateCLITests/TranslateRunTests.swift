// End-to-end tests of `translate --from A --to B` on the real binary: names, sizes, formats, alpha, 16-bit,
// gray, a corrupt file in a batch, resume after an interruption, --overwrite, refusals, tiled = untiled.

import Foundation
import Testing
import Translation
import TranslationTestSupport

@testable import translate

@Suite struct TranslateRunTests {
  @Test func oneFileToOneFileKeepsSizeAndFormat() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("photo.jpg", width: 37, height: 23)
    let r = try CLI.run(["--from", "day", "--to", "night", "photo.jpg", "-o", "night.jpg"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let out = try w.read("night.jpg")
    #expect(out.format == .jpeg && out.image.width == 37 && out.image.height == 23)
    let back = try CLI.run(
      ["--from", "night", "--to", "day", "night.jpg", "-o", "day.png", "--threads", "1"], in: w.root)
    #expect(back.status == 0 && back.stderr.contains("BtoA"), "\(back.stderr)")
    #expect(try w.read("day.png").format == .png)
  }

  @Test func folderKeepsTreeNamesFormatsAlphaAndSixteenBits() throws {
    let w = try Workspace()
    defer { w.remove() }
    let rgba = try w.writeImage("in/a.png", width: 30, height: 17, channels: 4)
    try w.writeImage("in/sub/b.png", width: 21, height: 33, bitDepth: 16)
    try w.writeImage("in/sub/deeper/c.jpg", width: 16, height: 16)
    try w.writeImage("in/g.png", width: 19, height: 11, channels: 1)
    let r = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "out", "--json"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\"translated\" : 4"))
    let a = try w.read("out/a.png").image
    #expect(a.width == 30 && a.height == 17 && a.channels == 4)
    for p in 0..<a.pixelCount { #expect(a.samples[p * 4 + 3] == rgba.samples[p * 4 + 3]) }
    let b = try w.read("out/sub/b.png").image
    #expect(b.bitDepth == 16 && b.width == 21 && b.height == 33)
    #expect(try w.read("out/sub/deeper/c.jpg").format == .jpeg)
    #expect(try w.read("out/g.png").image.channels == 3, "a 3-channel model makes gray RGB")

    let converted = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "jpgs", "--format", "jpg"], in: w.root)
    #expect(converted.status == 0 && w.exists("jpgs/a.jpg") && w.exists("jpgs/sub/b.jpg"))
  }

  @Test func aOneChannelModelKeepsGrayImagesGray() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.savePlainGenerator(
      "gray.safetensors",
      .resnet(
        inChannels: 1, outChannels: 1, baseFilters: 4, blocks: 1,
        norm: .instance, dropout: false, padding: .reflect))
    try w.writeImage("g.png", width: 13, height: 9, channels: 2, bitDepth: 16)
    let r = try CLI.run(["--model", "gray.safetensors", "g.png", "-o", "out.png"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let g = try w.read("out.png").image
    #expect(g.channels == 2 && g.bitDepth == 16 && g.width == 13 && g.height == 9)
  }

  @Test func aCorruptFileIsReportedAndTheOthersAreStillWritten() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("in/1.png", width: 12, height: 12)
    try Data("garbage, not a png".utf8).write(to: URL(fileURLWithPath: w.path("in/2.png")))
    try w.writeImage("in/3.png", width: 12, height: 12)
    let r = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "out", "--json"], in: w.root)
    #expect(r.status == 1)
    #expect(w.exists("out/1.png") && w.exists("out/3.png") && !w.exists("out/2.png"))
    #expect(r.stdout.contains("\"failed\" : 1") && r.stdout.contains("2.png") && r.stdout.contains("not a PNG or JPEG"))
  }

  @Test func rerunningSkipsExistingOutputsUnlessOverwrite() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("in/a.png", width: 12, height: 12)
    try w.writeImage("in/b.png", width: 12, height: 12)
    // An interrupted run: a's output exists (a marker image), b's does not.
    let marker = try w.writeImage("out/a.png", width: 3, height: 3)
    let resumed = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "out", "--json"], in: w.root)
    #expect(
      resumed.status == 0 && resumed.stdout.contains("\"skipped\" : 1") && resumed.stdout.contains("\"translated\" : 1")
    )
    #expect(try w.read("out/a.png").image == marker && w.exists("out/b.png"))
    let overwritten = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "out", "--overwrite"], in: w.root)
    #expect(overwritten.status == 0)
    #expect(try w.read("out/a.png").image.width == 12)
  }

  @Test func refusesOutputInsideInputAndOutputOnInputBeforeWork() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("in/a.png", width: 12, height: 12)
    let inside = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "in/out"], in: w.root)
    #expect(inside.status != 0 && inside.stderr.contains("inside the input folder") && !w.exists("in/out"))
    let same = try CLI.run(["--from", "day", "--to", "night", "in/a.png", "-o", "in/a.png"], in: w.root)
    #expect(same.status != 0 && same.stderr.contains("refusing to overwrite the input"))
    let unknown = try CLI.run(["--from", "cat", "--to", "dog", "in", "-o", "x"], in: w.root)
    #expect(
      unknown.status != 0 && unknown.stderr.contains("day ↔ night")
        && unknown.stderr.contains("translate train --from cat --to dog"))
    let invalid = try CLI.run(["--from", "day", "in", "-o", "x"], in: w.root)
    #expect(invalid.status == 64, "ValidationError exits with EX_USAGE")
  }

  @Test func tiledOutputMatchesUntiledWithinTwoLevels() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.savePlainGenerator(
      "small.safetensors",
      .resnet(
        inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 3,
        norm: .instance, dropout: false, padding: .reflect))
    try w.writeImage("big.png", width: 200, height: 150)
    let untiled = try CLI.run(["--model", "small.safetensors", "big.png", "-o", "untiled.png"], in: w.root)
    let tiled = try CLI.run(["--model", "small.safetensors", "big.png", "-o", "tiled.png", "--tile", "64"], in: w.root)
    #expect(untiled.status == 0 && tiled.status == 0 && tiled.stderr.contains("12 tiles"), "\(tiled.stderr)")
    let a = try w.read("untiled.png").image
    let b = try w.read("tiled.png").image
    #expect(maxDifference(a, b) <= 2)
    // A budget below the whole image's estimate: tiles with exact statistics computed tile by tile.
    let bounded = try CLI.run(
      ["--model", "small.safetensors", "big.png", "-o", "bounded.png", "--max-memory", "64M"], in: w.root)
    #expect(bounded.status == 0 && bounded.stderr.contains("exact statistics tile by tile"), "\(bounded.stderr)")
    #expect(maxDifference(a, try w.read("bounded.png").image) <= 2)
  }

  @Test func fastStatisticsIsAFlagOfRun() throws {
    let command = try Translate.parseAsRoot([
      "--model", "m.safetensors", "in.png", "-o", "out.png", "--fast-statistics",
    ])
    #expect((command as? Run)?.fastStatistics == true)
    let exact = try Translate.parseAsRoot(["--model", "m.safetensors", "in.png", "-o", "out.png"])
    #expect((exact as? Run)?.fastStatistics == false)
  }

  @Test func modelsListsInstalledModels() throws {
    let w = try Workspace()
    defer { w.remove() }
    let text = try CLI.run(["models"], in: w.root)
    #expect(text.status == 0 && text.stdout.contains("day2night.safetensors") && text.stdout.contains("day ↔ night"))
    #expect(
      text.stdout.contains("./models ") && text.stdout.contains(w.root + "/.xdg-data/translate/models  (not there)"))
    #expect(text.stdout.contains("resnet 1 blocks, 4 filters") && text.stdout.contains("20 iterations"))
    let json = try CLI.run(["models", "--json"], in: w.root)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let models = try #require(object?["models"] as? [[String: Any]])
    #expect(models.count == 1 && models[0]["domainB"] as? String == "night" && models[0]["imageSize"] as? Int == 32)
    let searched = try #require(object?["searched"] as? [[String: Any]])
    #expect(searched.map { $0["source"] as? String } == ["./models", "$XDG_DATA_HOME", "installation"])
  }

  @Test func modelsAreFoundOnTheSearchPathFromAnyFolder() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("elsewhere/in.png", width: 24, height: 20)
    let elsewhere = w.path("elsewhere")
    let missing = try CLI.run(["--from", "day", "--to", "night", "in.png", "-o", "out.png"], in: elsewhere)
    #expect(missing.status != 0 && missing.stderr.contains("searched models, \(elsewhere)/.xdg-data/translate/models"))
    let viaEnvironment = try CLI.run(
      ["--from", "day", "--to", "night", "in.png", "-o", "out.png"], in: elsewhere,
      environment: ["TRANSLATE_MODELS": "/nonexistent:" + w.path("models")])
    #expect(viaEnvironment.status == 0 && w.exists("elsewhere/out.png"), "\(viaEnvironment.stderr)")
    try FileManager.default.createDirectory(
      atPath: elsewhere + "/.xdg-data/translate", withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: w.path("models"), toPath: elsewhere + "/.xdg-data/translate/models")
    let viaUserData = try CLI.run(["--from", "night", "--to", "day", "in.png", "-o", "back.png"], in: elsewhere)
    #expect(viaUserData.status == 0 && w.exists("elsewhere/back.png"), "\(viaUserData.stderr)")
  }
}
