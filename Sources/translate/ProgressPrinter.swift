// Progress of a translation run: a live line on a terminal (images, images/s, ETA), one plain line per
// file otherwise, and the closing summary — on standard error, so that --json output stays clean.

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
      if case let .failed(item, reason) = event { line = "\r\u{1B}[K\(item.input): failed: \(reason)\n" + line }
      write(line + "\u{1B}[K")
      return
    }
    switch event {
    case let .translated(item, seconds, plan):
      say("[\(s.done)/\(total)] \(item.input) → \(item.output) (\(String(format: "%.2f", seconds)) s, \(plan))")
    case let .skipped(item): say("[\(s.done)/\(total)] \(item.input): skipped, \(item.output) exists")
    case let .failed(item, reason): say("[\(s.done)/\(total)] \(item.input): failed: \(reason)")
    }
  }

  func finish(_ s: TranslationSummary) {
    if live { write("\r\u{1B}[K") }
    say("translated \(s.translated), skipped \(s.skipped), failed \(s.failed) in \(clock(s.seconds))"
        + (s.translated > 0 ? " (\(rate(s)))" : ""))
    for f in s.failures { say("  failed: \(f.input): \(f.reason)") }
  }

  /// "2.35 images/s", or "41.2 s/image" for slow (large) images.
  private func rate(_ s: TranslationSummary) -> String {
    s.imagesPerSecond >= 0.1 || s.translated == 0 ? String(format: "%.2f images/s", s.imagesPerSecond)
      : String(format: "%.1f s/image", s.seconds / Double(s.translated))
  }
  private func clock(_ seconds: Double) -> String {
    let t = Int(seconds.rounded())
    return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
  }
  private func say(_ line: String) { write(line + "\n") }
  private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
