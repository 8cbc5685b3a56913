// `translate train --method pix2pix` on the real binary, end to end at tiny size: train, resume, translate with
// --model and with --from/--to (and a clear refusal the other way), and eval on the model's one direction.

import Foundation
import Testing
import Translation

@Suite struct Pix2PixCLITests {
  @Test func trainResumeTranslateAndEvalAPix2PixModel() throws {
    let w = try Workspace()
    defer { w.remove() }
    for name in ["p", "q", "r"] {
      try w.writeImage("datasets/labels/\(name).png", width: 40, height: 40)
      let image = try w.writeImage("datasets/photos/\(name).png", width: 40, height: 40)
      var negative = image
      negative.samples = image.samples.map { 255 - $0 }
      try ImageWriter.write(negative, to: w.path("datasets/photos/\(name).png"))
    }
    try w.writeImage("datasets/photos/extra.png", width: 40, height: 40)
    let train = [
      "train", "--method", "pix2pix", "--preset", "tiny", "--from", "labels", "--to", "photos", "--checkpoint-every",
      "2",
    ]
    let first = try CLI.run(train + ["--max-steps", "2"], in: w.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.contains("pix2pix: training on 3 pairs") && first.stdout.contains("skipped: ")
        && first.stdout.contains("extra.png: no image of the same name"), "\(first.stdout)")
    // Resume without --method: the checkpoint says pix2pix (the preset still gives the crop, as for CycleGAN).
    let resumed = try CLI.run(
      ["train", "--preset", "tiny", "--from", "labels", "--to", "photos", "--resume", "--max-steps", "4"], in: w.root)
    #expect(resumed.status == 0 && resumed.stdout.contains("resuming at step 2"), "\(resumed.stderr)")
    let log = try String(contentsOfFile: w.path("runs/labels-photos/losses.csv"), encoding: .utf8)
    #expect(
      log.hasPrefix("step,epoch,iteration,seconds,learning_rate,G_GAN,G_L1,D_real,D_fake\n")
        && log.split(separator: "\n").count == 5)

    let byFile = try CLI.run(
      ["--model", "models/labels-photos.safetensors", "datasets/labels/p.png", "-o", "out1.png"], in: w.root)
    #expect(byFile.status == 0 && w.exists("out1.png"), "\(byFile.stderr)")
    let byName = try CLI.run(
      ["--from", "labels", "--to", "photos", "datasets/labels/p.png", "-o", "out2.png"], in: w.root)
    #expect(byName.status == 0, "\(byName.stderr)")
    // Eval mode (running statistics, no dropout): the same image gives the same output both times.
    #expect(try w.read("out1.png").image == w.read("out2.png").image)
    let back = try CLI.run(
      ["--from", "photos", "--to", "labels", "datasets/photos/p.png", "-o", "out3.png"], in: w.root)
    #expect(
      back.status != 0 && back.stderr.contains("models/labels-photos.safetensors")
        && back.stderr.contains("translates only labels → photos"), "\(back.stderr)")
    let backByFile = try CLI.run(
      [
        "--model", "models/labels-photos.safetensors", "--from", "photos", "--to", "labels",
        "datasets/photos/p.png", "-o", "out4.png",
      ], in: w.root)
    #expect(
      backByFile.status != 0 && backByFile.stderr.contains("models/labels-photos.safetensors")
        && backByFile.stderr.contains("translates only labels → photos"), "\(backByFile.stderr)")

    let eval = try CLI.run(
      ["eval", "--model", "models/labels-photos.safetensors", "--paired", "datasets", "--json"], in: w.root)
    #expect(eval.status == 0, "\(eval.stderr)")
    struct Row: Decodable { let from: String, to: String, images: Int }
    let rows = try JSONDecoder().decode([Row].self, from: Data(eval.stdout.utf8))
    #expect(rows.map(\.from) == ["labels"] && rows.map(\.to) == ["photos"] && rows[0].images == 3)
  }

  @Test func optionsOfTheOtherMethodAreRefused() throws {
    let w = try Workspace()
    defer { w.remove() }
    let pool = try CLI.run(["train", "--paired", "--from", "a", "--to", "b", "--pool-size", "3"], in: w.root)
    #expect(pool.status != 0 && pool.stderr.contains("--pool-size is a cyclegan option"), "\(pool.stderr)")
    let l1 = try CLI.run(["train", "--from", "a", "--to", "b", "--lambda-l1", "10"], in: w.root)
    #expect(l1.status != 0 && l1.stderr.contains("--lambda-l1 is a pix2pix option"), "\(l1.stderr)")
  }
}
