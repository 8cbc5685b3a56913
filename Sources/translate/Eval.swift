// `translate eval --model M --paired DIR`: PSNR/SSIM of the model against paired ground truth, both
// directions, next to the untranslated input, the affine colour map and the flat mean colour (library:
// PairedEvaluation).

import ArgumentParser
import Foundation
import Translation

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Score a model on paired images (DIR/<domain A>/x and DIR/<domain B>/x) against three baselines.",
    discussion: """
      Examples:
        translate dataset day-night --count 20 --size 128 --seed 9 --paired
        translate eval --model models/day-night.safetensors --paired datasets
        translate eval --model day-night.safetensors --paired datasets --json
      """)

  @Option(help: "Model file.") var model: String
  @Option(help: "Folder with one subfolder per domain holding the same file names.") var paired: String
  @Option(help: "Folder of the training domains (for the colour baselines).") var dataroot = "datasets"
  @Option(help: "Domain A's name, for files without domain metadata (checkpoints, converted state_dicts).") var from:
    String?
  @Option(help: "Domain B's name, likewise.") var to: String?
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    do {
      let m = try TranslationModel.load(model)
      guard let a = from ?? m.domainA, let b = to ?? m.domainB else {
        throw ModelFileError.unusable(path: model, reason: "no domain names in its metadata: give --from and --to")
      }
      guard a != b else { throw ValidationError("--from and --to must name two different domains, both are '\(a)'") }
      // Each training folder is read and measured once and serves both directions' colour baselines.
      let trainingA = ColourMoments(of: try PairedEvaluation.loadAll(URL(fileURLWithPath: "\(dataroot)/\(a)")))
      let trainingB = ColourMoments(of: try PairedEvaluation.loadAll(URL(fileURLWithPath: "\(dataroot)/\(b)")))
      var results: [DirectionEvaluation] = []
      // The directions the model has: a pix2pix model is scored A → B only.
      let directions = [(Direction.aToB, a, b, trainingA, trainingB), (.bToA, b, a, trainingB, trainingA)]
        .filter { m.modelDescription.directions.contains($0.0) }
      for (direction, from, to, source, target) in directions {
        results.append(
          try PairedEvaluation.evaluate(
            translator: try ImageTranslator(model: m, direction: direction),
            colourMap: AffineColourMap.fit(from: source, to: target),
            meanColour: AffineColourMap.meanColour(of: target),
            from: from, to: to, pairedRoot: URL(fileURLWithPath: paired)))
      }
      if json { return try Output.json(results) }
      Output.line(
        "direction          images   model PSNR / SSIM   untranslated PSNR / SSIM   affine colour PSNR / SSIM"
          + "   flat mean colour PSNR / SSIM")
      for r in results {
        func cell(_ q: QualityScore) -> String { String(format: "%6.2f dB / %.4f", q.psnr, q.ssim) }
        Output.line(
          "\("\(r.from) → \(r.to)".padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%6d", r.images))   "
            + "\(cell(r.model))    \(cell(r.untranslated))           \(cell(r.affineColour))            "
            + cell(r.meanColour))
      }
      Output.line("median checkerboard index (≈ 1: none; ≫ 1: the 4-pixel grid of transposed convolutions)")
      for r in results {
        func cell(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }
        let c = r.checkerboard
        Output.line(
          "\("\(r.from) → \(r.to)".padding(toLength: 18, withPad: " ", startingAt: 0))   model \(cell(c.model))   "
            + "ground truth \(cell(c.target))   input \(cell(c.untranslated))")
      }
    } catch {
      throw Output.fail(error)
    }
  }
}
