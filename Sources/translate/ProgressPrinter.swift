// Progress lines: of a translation run (a live line on a terminal, one plain line per file otherwise, the
// closing summary — on standard error, so that --json output stays clean) and of a training run.

import Foundation
import Translation

final class ProgressPrinter: Sendable {
  let total: Int
  let live = isatty(STDERR_FILENO) != 0

  init(total: Int) { self.total = total }

  func start(model: String, direction: Direction, architecture: GeneratorArchitecture, threads: Int) {
    say("\(model) (\(direction.rawValue): \(architecture.summary)), \(total) image(s), \(threads) threads")
  }

  func report(_ event: TranslationEvent, _ s: TranslationSummary) {
    if live {
      var line = "\r\(s.done)/\(total)  \(rate(s))"
      if let left = s.secondsLeft { line += "  ETA \(clock(left))" }
      if case .failed(let item, let reason) = event { line = "\r\u{1B}[K\(item.input): failed: \(reason)\n" + line }
      write(line + "\u{1B}[K")
      return
    }
    switch event {
    case .translated(let item, let seconds, let plan):
      say("[\(s.done)/\(total)] \(item.input) → \(item.output) (\(String(format: "%.2f", seconds)) s, \(plan))")
    case .skipped(let item): say("[\(s.done)/\(total)] \(item.input): skipped, \(item.output) exists")
    case .failed(let item, let reason): say("[\(s.done)/\(total)] \(item.input): failed: \(reason)")
    }
  }

  func finish(_ s: TranslationSummary) {
    if live { write("\r\u{1B}[K") }
    say(
      "translated \(s.translated), skipped \(s.skipped), failed \(s.failed) in \(clock(s.seconds))"
        + (s.translated > 0 ? " (\(rate(s)))" : ""))
    for f in s.failures { say("  failed: \(f.input): \(f.reason)") }
  }

  /// "2.35 images/s", or "41.2 s/image" for slow (large) images.
  private func rate(_ s: TranslationSummary) -> String {
    s.imagesPerSecond >= 0.1 || s.translated == 0
      ? String(format: "%.2f images/s", s.imagesPerSecond)
      : String(format: "%.1f s/image", s.seconds / Double(s.translated))
  }
  private func clock(_ seconds: Double) -> String {
    let t = Int(seconds.rounded())
    return t >= 3600
      ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
  }
  private func say(_ line: String) { write(line + "\n") }
  private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Renders training events: a live \r line on a terminal, a plain line every 10 s otherwise (on standard
/// output, as the training summary).
struct TrainingProgressPrinter {
  let live = Output.isTerminal
  var total = 0, lastPlain = Date.distantPast, startedAt = Date(), startStep = 0, onLine = false
  /// Processes training together and the images of one step over all of them (images/s counts every rank's).
  var ranks = 1, imagesPerStep = 1
  /// The loss columns shown: those the run reports (CycleGAN's style losses only with a style weight).
  var columns: [String] = []

  mutating func handle(_ event: TrainingEvent) {
    switch event {
    case .started(let s):
      total = s.totalSteps
      startStep = s.resumedAt ?? 0
      columns = s.lossColumns
      (ranks, imagesPerStep) = (s.ranks, s.imagesPerStep)
      for file in s.skipped { Output.line("skipped: \(file)") }
      let items = s.configuration.method.paired ? "\(s.itemsA) pairs" : "\(s.itemsA) + \(s.itemsB) images"
      Output.line(
        "\(s.configuration.method.displayName): training on \(items), \(s.iterationsPerEpoch) steps per epoch, "
          + "\(s.totalSteps) steps"
          + (s.ranks > 1 ? ", \(s.ranks) processes × batch \(s.imagesPerStep / s.ranks)" : "")
          + (s.resumedAt.map { ", resuming at step \($0)" } ?? ""))
    case .step(let record):
      let elapsed = Date().timeIntervalSince(startedAt)
      let speed = Double(record.step - startStep) / max(elapsed, 1e-9)
      let eta = Double(total - record.step) / max(speed, 1e-9)
      let losses = columns.map { "\($0) \(String(format: "%.3f", record.loss($0) ?? .nan))" }
      let line =
        String(
          format: "step %d/%d  epoch %d  %.2f it/s  %@ETA %@  lr %.2e  ", record.step, total, record.epoch, speed,
          ranks > 1 ? String(format: "%d ranks %.1f images/s  ", ranks, speed * Double(imagesPerStep)) : "",
          formatDuration(eta), record.learningRate) + losses.joined(separator: " ")
      if live {
        Output.write("\r\u{1B}[K" + line)
        onLine = true
      } else if Date().timeIntervalSince(lastPlain) >= 10 || record.step == total {
        Output.line(line)
        lastPlain = Date()
      }
    case .checkpoint(let path, let progress, _):
      finishLine()
      Output.line("checkpoint at step \(progress.step): \(path)")
    case .finished(let path, let p):
      finishLine()
      Output.line(String(format: "model written: %@ (%d steps, %.0f s)", path, p.step, p.seconds))
    }
  }

  mutating func finishLine() {
    if onLine {
      Output.line("")
      onLine = false
    }
  }
}

func formatDuration(_ seconds: Double) -> String {
  guard seconds.isFinite else { return "?" }
  let s = Int(seconds)
  return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
}
