// Running a job: a decoder thread reads images ahead, the calling thread runs the network (which itself
// uses every compute thread), an encoder thread writes results behind it; bounded queues of one image on
// each side keep memory to about three images beyond the network's. One bad file never stops the run.

import Foundation
import Synchronization

/// How a run treats existing outputs and reads inputs.
public struct BatchOptions: Sendable {
  /// Replace existing outputs (default: skip them, so that re-running finishes an interrupted job).
  public var overwrite: Bool
  public var decode: DecodeOptions
  /// Decoded images waiting for the network, and results waiting for the encoder.
  public var queueDepth: Int

  public init(overwrite: Bool = false, decode: DecodeOptions = DecodeOptions(), queueDepth: Int = 1) {
    self.overwrite = overwrite
    self.decode = decode
    self.queueDepth = queueDepth
  }
}

public enum BatchTranslation {
  private enum Decoded: Sendable {
    case image(TranslationItem, Image)
    case failed(TranslationItem, String)
  }
  private struct Translated: Sendable {
    let item: TranslationItem
    let image: Image
    let seconds: Double
    let plan: String
  }

  /// Translates every item of `job`; `onEvent` is called once per item (serialized, from any thread) with
  /// the event and the totals so far. Returns the final totals.
  public static func run(
    _ job: TranslationJob, translator: ImageTranslator, options: BatchOptions = BatchOptions(),
    onEvent: @escaping @Sendable (TranslationEvent, TranslationSummary) -> Void = { _, _ in }
  )
    -> TranslationSummary
  {
    let start = Date()
    let summary = Mutex(TranslationSummary(total: job.items.count))
    let report: @Sendable (TranslationEvent) -> Void = { event in
      summary.withLock { s in
        s.record(event)
        s.seconds = Date().timeIntervalSince(start)
        onEvent(event, s)
      }
    }
    let decoded = BoundedQueue<Decoded>(capacity: options.queueDepth)
    let translated = BoundedQueue<Translated>(capacity: options.queueDepth)
    let decoder = Thread { decodeAll(job, options, into: decoded, report: report) }
    decoder.name = "translate-decode"
    let encoderDone = DispatchSemaphore(value: 0)
    let protected = ProtectedFiles(paths: job.inputFiles)
    let encoder = Thread {
      while let result = translated.pop() { write(result, options, protecting: protected, report: report) }
      encoderDone.signal()
    }
    encoder.name = "translate-encode"
    decoder.start()
    encoder.start()
    while let next = decoded.pop() {
      switch next {
      case .failed(let item, let reason): report(.failed(item, reason: reason))
      case .image(let item, let image):
        let t0 = Date()
        let (output, plan) = translator.translate(image)
        translated.push(
          Translated(item: item, image: output, seconds: Date().timeIntervalSince(t0), plan: plan.description))
      }
    }
    translated.close()
    encoderDone.wait()
    return summary.withLock { s in
      s.seconds = Date().timeIntervalSince(start)
      return s
    }
  }

  private static func decodeAll(
    _ job: TranslationJob, _ options: BatchOptions, into queue: BoundedQueue<Decoded>,
    report: @Sendable (TranslationEvent) -> Void
  ) {
    for item in job.items {
      if !options.overwrite && FileManager.default.fileExists(atPath: item.output) {
        report(.skipped(item))
        continue
      }
      do {
        queue.push(.image(item, try ImageDecoder.load(path: item.input, options: options.decode).image))
      } catch {
        queue.push(.failed(item, error.reason))
      }
    }
    queue.close()
  }

  private static func write(
    _ result: Translated, _ options: BatchOptions, protecting inputs: ProtectedFiles,
    report: @Sendable (TranslationEvent) -> Void
  ) {
    let folder = (result.item.output as NSString).deletingLastPathComponent
    do {
      if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    } catch {
      report(.failed(result.item, reason: "cannot create the folder \(folder): \(error.localizedDescription)"))
      return
    }
    do {
      try ImageWriter.write(
        result.image, to: result.item.output, options: result.item.encoding,
        overwrite: options.overwrite ? .replace : .refuse, protecting: inputs)
      report(.translated(result.item, seconds: result.seconds, plan: result.plan))
    } catch {
      report(.failed(result.item, reason: error.reason))
    }
  }
}
