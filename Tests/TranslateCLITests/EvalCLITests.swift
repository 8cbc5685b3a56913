// `translate eval` on the real binary: the checkerboard medians and the flat mean-colour baseline it reports, in
// text and JSON.

import Foundation
import Testing
import Translation

@Suite struct EvalCLITests {
  struct Direction: Decodable {
    struct Medians: Decodable { let model: Double?, target: Double?, untranslated: Double? }
    struct Score: Decodable { let psnr: Double, ssim: Double }
    let from: String, to: String, images: Int
    let checkerboard: Medians
    let meanColour: Score
  }

  @Test func evalReportsTheMedianCheckerboardIndexOfOutputsTargetsAndInputs() throws {
    let w = try Workspace()
    defer { w.remove() }
    // Workspace.writeImage draws one pattern per size; the night images are its negative (identical pairs would
    // score an infinite PSNR).
    var day: Image?
    var night: Image?
    try FileManager.default.createDirectory(atPath: w.path("paired/night"), withIntermediateDirectories: true)
    for name in ["a", "b", "c"] {
      for folder in ["data/day", "data/night"] { try w.writeImage("\(folder)/\(name).png", width: 36, height: 32) }
      let image = try w.writeImage("paired/day/\(name).png", width: 36, height: 32)
      var negative = image
      negative.samples = image.samples.map { 255 - $0 }
      try ImageWriter.write(negative, to: w.path("paired/night/\(name).png"))
      (day, night) = (image, negative)
    }
    let arguments = ["eval", "--model", "models/day2night.safetensors", "--paired", "paired", "--dataroot", "data"]
    let r = try CLI.run(arguments + ["--json"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let directions = try JSONDecoder().decode([Direction].self, from: Data(r.stdout.utf8))
    #expect(directions.map(\.from) == ["day", "night"] && directions.allSatisfy { $0.images == 3 })
    let (dayIndex, nightIndex) = (checkerboardIndex(try #require(day)), checkerboardIndex(try #require(night)))
    for d in directions {
      let (input, target) = d.from == "day" ? (dayIndex, nightIndex) : (nightIndex, dayIndex)
      #expect(abs((d.checkerboard.target ?? .nan) - target) < 1e-9)
      #expect(abs((d.checkerboard.untranslated ?? .nan) - input) < 1e-9)
      #expect(d.checkerboard.model.map { $0.isFinite && $0 > 0 } == true)
      // The input-blind baseline: the target training folder's mean colour, flat, scored against the truth.
      let training = try PairedEvaluation.loadAll(URL(fileURLWithPath: w.path("data/\(d.to)")))
      let (x, truth) =
        d.from == "day" ? (try #require(day), try #require(night)) : (try #require(night), try #require(day))
      let flat = AffineColourMap.meanColour(of: ColourMoments(of: training)).apply(x)
      #expect(abs(d.meanColour.psnr - ImageMetrics.psnr(flat, truth)) < 1e-9)
      #expect(abs(d.meanColour.ssim - ImageMetrics.ssim(flat, truth)) < 1e-9)
    }
    let text = try CLI.run(arguments, in: w.root)
    #expect(text.status == 0 && text.stdout.contains("median checkerboard index"), "\(text.stderr)")
    #expect(text.stdout.contains("flat mean colour PSNR / SSIM"), "\(text.stdout)")
  }
}
