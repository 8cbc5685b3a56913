// The HTML report driven by a real (tiny) training run's events: loss curves, inlined sample grids.

import Foundation
import Testing
import TrainingReport
import Translation
import TranslationTestSupport

@Suite struct TrainingReportTests {
  @Test func reportHoldsLossCurvesAndOneSampleGridPerCheckpoint() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    let options = tinyOptions(root, run: "run", steps: 4)
    let report = TrainingReport(runDirectory: options.runDirectory)
    try Trainer.run(options) { try report.handle($0) }
    let html = try String(contentsOf: root.appendingPathComponent("run/report.html"), encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("data:image/png;base64,") && html.contains("step 4"))
    #expect(html.components(separatedBy: "data:image/png;base64,").count == 3)  // steps 3 and 4
  }

  @Test func onlyTheLatestGridsAreInlinedAndOlderOnesAreLinkedFiles() throws {
    let root = try tinyDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    var options = tinyOptions(root, run: "run", steps: 5)
    options.checkpointEvery = 1
    let report = TrainingReport(runDirectory: options.runDirectory, inlineGrids: 2)
    try Trainer.run(options) { try report.handle($0) }
    let html = try String(contentsOf: root.appendingPathComponent("run/report.html"), encoding: .utf8)
    #expect(html.components(separatedBy: "data:image/png;base64,").count == 3)
    #expect(html.contains("alt=\"step 5\"") && html.contains("alt=\"step 4\"") && !html.contains("alt=\"step 3\""))
    for step in 1...3 {
      let file = String(format: "samples/step-%08d.png", step)
      #expect(html.contains("<a href=\"\(file)\">step \(step)</a>"))
      #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("run/\(file)").path))
    }
  }

  @Test func aPix2PixReportChartsItsOwnLossesAndShowsInputTranslationAndTarget() throws {
    let root = try tinyPairedDomains()
    defer { try? FileManager.default.removeItem(at: root) }
    let options = tinyPix2PixOptions(root, run: "run", steps: 4)
    let report = TrainingReport(runDirectory: options.runDirectory)
    try Trainer.run(options) { try report.handle($0) }
    let html = try String(contentsOf: root.appendingPathComponent("run/report.html"), encoding: .utf8)
    #expect(html.contains("<h1>pix2pix a → b</h1>") && html.contains("real a | fake b | real b"))
    #expect(html.contains(">G_L1</text>") && html.contains(">D_real</text>") && !html.contains(">cycle_A</text>"))
  }
}
