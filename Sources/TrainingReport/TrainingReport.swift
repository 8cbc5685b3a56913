// The run's HTML report, driven by the trainer's events and rewritten at every checkpoint: options, timings,
// one sample grid per checkpoint (the method's sample row, e.g. CycleGAN's real A | fake B | rec A | real B |
// fake A | rec B) and SVG loss curves by losses.csv column — one file that opens in a browser with no server. The
// latest grids are inlined as base64 PNG; older ones are linked (samples/step-N.png beside the report), so a long
// run's page stays a few megabytes instead of growing with every checkpoint.

import AtomicFiles
import Foundation
import Translation

/// Follows a run's events and rewrites `report.html` in the run folder at every checkpoint.
public final class TrainingReport {
  let runDirectory: URL
  /// How many of the latest checkpoints' grids are inlined; older grids are links to their files.
  public let inlineGrids: Int
  private var start: TrainingStart?
  private var records: [LossRecord] = []
  private var grids: [(step: Int, file: String)] = []
  /// What the tiles of the sample grids show, e.g. "real day | fake night | …".
  private var caption = ""

  public init(runDirectory: URL, inlineGrids: Int = 6) {
    precondition(inlineGrids >= 0, "TrainingReport: inlineGrids \(inlineGrids) < 0")
    self.runDirectory = runDirectory
    self.inlineGrids = inlineGrids
  }

  public func handle(_ event: TrainingEvent) throws {
    switch event {
    case .started(let start):
      self.start = start
      records = start.previousRecords
      grids = Self.existingGrids(in: runDirectory.appendingPathComponent("samples"), through: start.resumedAt ?? 0)
    case .step(let record): records.append(record)
    case .checkpoint(_, let progress, let samples):
      try addSamples(samples, step: progress.step)
      try write(progress: progress)
    case .finished: break
    }
  }

  /// Grids written by an earlier part of a resumed run, up to its checkpoint.
  static func existingGrids(in folder: URL, through step: Int) -> [(step: Int, file: String)] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.compactMap { f in
      f.hasPrefix("step-") && f.hasSuffix(".png") ? Int(f.dropFirst(5).dropLast(4)).map { ($0, f) } : nil
    }.filter { $0.0 <= step }.sorted { $0.0 < $1.0 }
  }

  /// Lays the images of a sample row side by side and stores the grid for `step`.
  func addSamples(_ samples: SampleRow, step: Int) throws {
    if let names = start.map({ (a: $0.options.domainA.name, b: $0.options.domainB.name) }) {
      caption = samples.tiles.map { "\($0.role.rawValue) \($0.inB ? names.b : names.a)" }.joined(separator: " | ")
    }
    let grid = samples.grid()
    let name = String(format: "step-%08d.png", step)
    try ImageWriter.write(grid, to: runDirectory.appendingPathComponent("samples/\(name)").path, options: .png)
    grids.removeAll { $0.step == step }
    grids.append((step, name))
  }

  func write(progress: TrainingProgress) throws {
    guard let start else { return }
    let c = start.configuration
    let options = start.options
    let names = (a: options.domainA.name, b: options.domainB.name)
    let rate = progress.seconds > 0 ? Double(progress.step) / progress.seconds : 0
    let pairs = c.method.paired
    let domains = c.method.bothDirections ? "\(names.a) ↔ \(names.b)" : "\(names.a) → \(names.b)"
    let rows: [(String, String)] = [
      ("method", c.method.rawValue + (pairs ? " (paired data)" : "")), ("domains", domains),
      ("generator", c.generator.summary),
      (
        "discriminator",
        "\(c.discriminator.rawValue), \(c.discriminatorFilters) filters, \(c.discriminatorNorm.rawValue) norm, "
          + "\(c.discriminatorInChannels) input channels"
      ),
      (
        "preprocess",
        "\(options.augmentation.preprocess.rawValue), load \(options.augmentation.loadSize), crop \(options.augmentation.cropSize), flip \(options.augmentation.flip)"
      ),
      ("GAN loss", c.ganMode.rawValue),
      ("loss weights", c.lossWeights.map { "\($0.name) \($0.value)" }.joined(separator: ", ")),
      ("learning rate, β1", "\(c.learningRate), \(c.beta1) — linear decay: \(c.epochs) + \(c.decayEpochs) epochs"),
      ("batch, pool, seed", "\(c.batchSize), \(c.poolSize), \(c.seed)"),
      (
        "progress",
        "step \(progress.step), epoch \(progress.epoch), \(String(format: "%.0f", progress.seconds)) s training (\(String(format: "%.2f", rate)) it/s)"
      ),
    ]
    var html = """
      <!doctype html><html><head><meta charset="utf-8"><title>translate: \(escape(domains))</title>
      <style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}td{padding:2px 12px 2px 0;vertical-align:top}
      img{image-rendering:pixelated;width:100%;max-width:1000px}h2{margin-top:1.5em}</style></head><body>
      <h1>\(escape(c.method.displayName)) \(escape(domains))</h1><table>
      """
    html += rows.map { "<tr><td><b>\(escape($0.0))</b></td><td>\(escape($0.1))</td></tr>" }.joined() + "</table>"
    html += "<h2>Losses</h2>" + LossChart.svg(records, groups: start.lossGroups, columns: start.lossColumns)
    html += "<h2>Samples</h2><p>\(escape(caption))</p>"
    let newestFirst = Array(grids.reversed())
    for g in newestFirst.prefix(inlineGrids) {
      let data = try Data(contentsOf: options.runDirectory.appendingPathComponent("samples/\(g.file)"))
      html +=
        "<h3>step \(g.step)</h3><img alt=\"step \(g.step)\" src=\"data:image/png;base64,\(data.base64EncodedString())\">"
    }
    if newestFirst.count > inlineGrids {
      html += "<h3>Earlier checkpoints</h3><p>"
      html +=
        newestFirst.dropFirst(inlineGrids).map { "<a href=\"samples/\(escape($0.file))\">step \($0.step)</a>" }
        .joined(separator: " · ") + "</p>"
    }
    html += "</body></html>\n"
    let path = options.runDirectory.appendingPathComponent("report.html").path
    do { try AtomicFile.write(Array(html.utf8), to: path) } catch {
      throw TrainingError.unwritable(path: path, reason: error.reason)
    }
  }
}

func escape(_ s: String) -> String {
  s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// SVG line charts of the losses against the step (discriminators, adversarial, cycle and identity, style),
/// smoothed by a moving average so the trend is readable; each line is labelled with its losses.csv column.
enum LossChart {
  static let colours = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
  ]

  /// One chart per group; `columns` (losses.csv's order) fixes each loss's colour.
  static func svg(_ records: [LossRecord], groups: [LossGroup], columns: [String]) -> String {
    guard records.count >= 2 else { return "<p>(not enough steps yet)</p>" }
    return groups.map { chart(records, title: $0.title, series: $0.columns, columns: columns) }.joined()
  }

  static func chart(_ records: [LossRecord], title: String, series: [String], columns: [String]) -> String {
    let (w, h, pad) = (900.0, 220.0, 40.0)
    let window = max(1, records.count / 100)
    let smoothed = series.map { name in movingAverage(records.map { Double($0.loss(name) ?? 0) }, window) }
    let top = max(smoothed.flatMap { $0 }.max() ?? 1, 1e-6)
    let steps = records.map { Double($0.step) }
    let (x0, x1) = (steps[0], max(steps[steps.count - 1], steps[0] + 1))
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" style=\"background:#fafafa\">"
    out += "<text x=\"\(pad)\" y=\"16\" font-size=\"13\">\(escape(title)) — max \(String(format: "%.3g", top))</text>"
    out += "<line x1=\"\(pad)\" y1=\"\(h - pad)\" x2=\"\(w - 10)\" y2=\"\(h - pad)\" stroke=\"#999\"/>"
    out += "<text x=\"\(w - 10)\" y=\"\(h - 8)\" font-size=\"11\" text-anchor=\"end\">step \(Int(x1))</text>"
    for (k, (name, values)) in zip(series, smoothed).enumerated() {
      let points = zip(steps, values).map { s, v in
        String(format: "%.1f,%.1f", pad + (s - x0) / (x1 - x0) * (w - pad - 10), h - pad - v / top * (h - pad - 24))
      }.joined(separator: " ")
      // Colour by losses.csv column, so a loss looks the same in every chart.
      let colour = colours[(columns.firstIndex(of: name) ?? k) % colours.count]
      out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points)\"/>"
      out +=
        "<text x=\"\(Double(w) - 120)\" y=\"\(30 + 14 * k)\" font-size=\"12\" fill=\"\(colour)\">\(escape(name))</text>"
    }
    return out + "</svg>"
  }

  static func movingAverage(_ v: [Double], _ window: Int) -> [Double] {
    var out: [Double] = []
    var sum = 0.0
    for i in v.indices {
      sum += v[i]
      if i >= window { sum -= v[i - window] }
      out.append(sum / Double(min(i + 1, window)))
    }
    return out
  }
}
