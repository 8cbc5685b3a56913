// `translate train --tensorboard DIR`: a run's events as TensorBoard scalars and images, in DIR/<A>-<B>/ (one
// TensorBoard "run" per domain pair, so that several runs under one DIR can be compared). Fed by the trainer's
// events like the HTML report; the trainer does not know it exists.

import Foundation
import ImageCodecs
import Translation

/// Follows a training run and writes its TensorBoard event file.
///
/// Tags: `loss/<column>` (every loss the run reports — losses.csv's columns less unused terms such as CycleGAN's
/// style losses without a style weight — every step), `learning_rate`, `images_per_second` (batch size ×
/// steps per second of training time since the previous step), and `samples` (the sample grid, PNG, at each
/// checkpoint).
public final class TensorBoardLog {
  public let folder: URL
  private var writer: EventFileWriter?
  private var batchSize = 1
  /// The losses the run reports (TrainingStart.lossColumns).
  private var columns: [String] = []
  /// The step and training seconds the next images/s is measured from.
  private var last: (step: Int, seconds: Double) = (0, 0)

  /// `directory` is the --tensorboard folder; the run's own folder is created under it when training starts.
  public init(directory: URL) { folder = directory }

  /// The event file being written (nil before the run starts).
  public var path: String? { writer?.path }

  public func handle(_ event: TrainingEvent) throws(TensorBoardError) {
    switch event {
    case .started(let start):
      let run = "\(start.options.domainA.name)-\(start.options.domainB.name)"
      writer = try EventFileWriter(folder: folder.appendingPathComponent(run))
      batchSize = start.configuration.batchSize
      columns = start.lossColumns
      last = (start.resumedAt ?? 0, start.previousRecords.last?.seconds ?? 0)
    case .step(let record):
      guard let writer else { return }
      var values = columns.compactMap { name in record.loss(name).map { (tag: "loss/\(name)", value: $0) } }
      values.append((tag: "learning_rate", value: record.learningRate))
      let elapsed = record.seconds - last.seconds
      if elapsed > 0 {
        values.append((tag: "images_per_second", value: Float(Double(batchSize * (record.step - last.step)) / elapsed)))
      }
      last = (record.step, record.seconds)
      try writer.scalars(values, step: record.step)
    case .checkpoint(_, let progress, let samples):
      guard let writer else { return }
      let grid = samples.grid()
      let png: [UInt8]
      do { png = try ImageEncoder.encode(grid, options: .png) } catch {
        throw .imageEncodingFailed(tag: "samples", reason: error.description)
      }
      try writer.image(
        "samples", png: png, width: grid.width, height: grid.height, channels: grid.channels, step: progress.step)
      try writer.flush()
    case .finished: try writer?.flush()
    }
  }
}
