// The run's HTML report, rewritten at every checkpoint: options, timings, one sample grid per checkpoint
// (real A | fake B | rec A | real B | fake A | rec B) and SVG loss curves — one self-contained file
// (images inlined as base64 PNG) that opens in a browser with no server.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class TrainingReport {
  let options: TrainingOptions
  let configuration: CycleGANConfiguration
  let sampleA: Tensor, sampleB: Tensor
  let names: (a: String, b: String)
  private var grids: [(step: Int, file: String)] = []

  init(options: TrainingOptions, configuration: CycleGANConfiguration, domainA: TrainingDomain, domainB: TrainingDomain) {
    self.options = options
    self.configuration = configuration
    names = (domainA.name, domainB.name)
    let crop = options.augmentation.cropSize, channels = configuration.generator.inChannels
    let augmentation = options.augmentation
    func sample(_ d: TrainingDomain) -> Tensor {
      let image = d.loader.load(d.usable[0]) ?? Image(width: crop, height: crop, channels: 3)
      return Tensor(image: Self.centreCrop(image, augmentation), channels: channels)
    }
    sampleA = sample(domainA)
    sampleB = sample(domainB)
    // Grids written by an earlier (resumed) part of the run.
    let folder = options.runDirectory.appendingPathComponent("samples")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    grids = files.compactMap { f in
      f.hasPrefix("step-") && f.hasSuffix(".png") ? Int(f.dropFirst(5).dropLast(4)).map { ($0, f) } : nil
    }.sorted { $0.0 < $1.0 }
  }

  /// What training sees, without the randomness: resized as the preprocess mode resizes (none for `crop`),
  /// then the centred crop × crop square.
  static func centreCrop(_ image: Image, _ a: Augmentation) -> Image {
    var scaled = image
    switch a.preprocess {
    case .crop, .none: break
    case .resizeAndCrop: scaled = image.resized(width: a.loadSize, height: a.loadSize)
    case .scaleWidth, .scaleWidthAndCrop:
      scaled = image.resized(width: a.loadSize, height: max(a.cropSize, a.loadSize * image.height / max(image.width, 1)))
    }
    let side = min(a.cropSize, scaled.width, scaled.height)
    let square = scaled.cropped(x: (scaled.width - side) / 2, y: (scaled.height - side) / 2, width: side, height: side)
    return side == a.cropSize ? square : square.resized(width: a.cropSize, height: a.cropSize)
  }

  /// Translates the two sample images both ways and stores the grid for `step`.
  func addSamples(_ model: CycleGAN, step: Int) throws {
    let row = LayerMode.inference { () -> [Tensor] in
      let a = Variable(sampleA), b = Variable(sampleB)
      let fakeB = model.generatorAB(a), fakeA = model.generatorBA(b)
      return [sampleA, fakeB.value, model.generatorBA(fakeB).value, sampleB, fakeA.value, model.generatorAB(fakeA).value]
    }
    let tiles = row.map { Image(tensor: $0) }
    let side = tiles[0].width, gap = 4, channels = tiles[0].channels
    var grid = Image(width: 6 * side + 5 * gap, height: side, channels: channels)
    for (i, t) in tiles.enumerated() {
      for y in 0..<side { for x in 0..<side { for c in 0..<channels {
        grid[i * (side + gap) + x, y, c] = t[x, y, c]
      } } }
    }
    let name = String(format: "step-%08d.png", step)
    try ImageWriter.write(grid, to: options.runDirectory.appendingPathComponent("samples/\(name)").path, options: .png)
    grids.removeAll { $0.step == step }
    grids.append((step, name))
  }

  func write(log: TrainingLog, progress: TrainingProgress) throws {
    let c = configuration
    let rate = progress.seconds > 0 ? Double(progress.step) / progress.seconds : 0
    let rows: [(String, String)] = [
      ("domains", "\(names.a) ↔ \(names.b)"), ("generator", c.generator.summary),
      ("discriminator", "\(c.discriminator.rawValue), \(c.discriminatorFilters) filters, \(c.discriminatorNorm.rawValue) norm"),
      ("preprocess", "\(options.augmentation.preprocess.rawValue), load \(options.augmentation.loadSize), crop \(options.augmentation.cropSize), flip \(options.augmentation.flip)"),
      ("GAN loss", c.ganMode.rawValue), ("λ cycle A / B, identity", "\(c.lambdaA) / \(c.lambdaB), \(c.lambdaIdentity)"),
      ("learning rate, β1", "\(c.learningRate), \(c.beta1) — linear decay: \(c.epochs) + \(c.decayEpochs) epochs"),
      ("batch, pool, seed", "\(c.batchSize), \(c.poolSize), \(c.seed)"),
      ("style", c.lambdaStyle > 0 ? "λ \(c.lambdaStyle), target \(c.styleImage ?? "the domains' own images")" : "off"),
      ("progress", "step \(progress.step), epoch \(progress.epoch), \(String(format: "%.0f", progress.seconds)) s training (\(String(format: "%.2f", rate)) it/s)"),
    ]
    var html = """
      <!doctype html><html><head><meta charset="utf-8"><title>translate: \(escape(names.a)) ↔ \(escape(names.b))</title>
      <style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}td{padding:2px 12px 2px 0;vertical-align:top}
      img{image-rendering:pixelated;width:100%;max-width:1000px}h2{margin-top:1.5em}</style></head><body>
      <h1>CycleGAN \(escape(names.a)) ↔ \(escape(names.b))</h1><table>
      """
    html += rows.map { "<tr><td><b>\(escape($0.0))</b></td><td>\(escape($0.1))</td></tr>" }.joined() + "</table>"
    html += "<h2>Losses</h2>" + LossChart.svg(log.records)
    html += "<h2>Samples</h2><p>real \(escape(names.a)) | fake \(escape(names.b)) | reconstructed \(escape(names.a)) | real \(escape(names.b)) | fake \(escape(names.a)) | reconstructed \(escape(names.b))</p>"
    for g in grids.reversed() {
      let data = try Data(contentsOf: options.runDirectory.appendingPathComponent("samples/\(g.file)"))
      html += "<h3>step \(g.step)</h3><img alt=\"step \(g.step)\" src=\"data:image/png;base64,\(data.base64EncodedString())\">"
    }
    html += "</body></html>\n"
    let url = options.runDirectory.appendingPathComponent("report.html")
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".report.html.tmp")
    try Data(html.utf8).write(to: temporary)
    guard rename(temporary.path, url.path) == 0 else {
      throw TrainingError.unwritable(path: url.path, reason: String(cString: strerror(errno)))
    }
  }
}

func escape(_ s: String) -> String {
  s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// SVG line charts of the eight losses against the step (generator and cycle losses on one chart,
/// discriminators on another), smoothed by a moving average so the trend is readable.
enum LossChart {
  static let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                         "#bcbd22", "#17becf"]

  static func svg(_ records: [LossRecord]) -> String {
    guard records.count >= 2 else { return "<p>(not enough steps yet)</p>" }
    var groups: [(String, [Int])] = [("discriminators", [0, 4]), ("generators (adversarial)", [1, 5]),
                                     ("cycle and identity", [2, 3, 6, 7])]
    if records.contains(where: { $0.losses.styleA != 0 || $0.losses.styleB != 0 }) { groups.append(("style", [8, 9])) }
    return groups.map { chart(records, title: $0.0, series: $0.1) }.joined()
  }

  static func chart(_ records: [LossRecord], title: String, series: [Int]) -> String {
    let (w, h, pad) = (900.0, 220.0, 40.0)
    let window = max(1, records.count / 100)
    let smoothed = series.map { s in movingAverage(records.map { Double($0.losses.values[s]) }, window) }
    let top = max(smoothed.flatMap { $0 }.max() ?? 1, 1e-6)
    let steps = records.map { Double($0.step) }
    let (x0, x1) = (steps.first!, max(steps.last!, steps.first! + 1))
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" style=\"background:#fafafa\">"
    out += "<text x=\"\(pad)\" y=\"16\" font-size=\"13\">\(escape(title)) — max \(String(format: "%.3g", top))</text>"
    out += "<line x1=\"\(pad)\" y1=\"\(h - pad)\" x2=\"\(w - 10)\" y2=\"\(h - pad)\" stroke=\"#999\"/>"
    out += "<text x=\"\(w - 10)\" y=\"\(h - 8)\" font-size=\"11\" text-anchor=\"end\">step \(Int(x1))</text>"
    for (k, values) in smoothed.enumerated() {
      let points = zip(steps, values).map { s, v in
        String(format: "%.1f,%.1f", pad + (s - x0) / (x1 - x0) * (w - pad - 10), h - pad - v / top * (h - pad - 24))
      }.joined(separator: " ")
      let name = CycleGANLosses.names[series[k]]
      out += "<polyline fill=\"none\" stroke=\"\(colours[series[k]])\" stroke-width=\"1.5\" points=\"\(points)\"/>"
      out += "<text x=\"\(Double(w) - 120)\" y=\"\(30 + 14 * k)\" font-size=\"12\" fill=\"\(colours[series[k]])\">\(name)</text>"
    }
    return out + "</svg>"
  }

  static func movingAverage(_ v: [Double], _ window: Int) -> [Double] {
    var out: [Double] = [], sum = 0.0
    for i in v.indices {
      sum += v[i]
      if i >= window { sum -= v[i - window] }
      out.append(sum / Double(min(i + 1, window)))
    }
    return out
  }
}
