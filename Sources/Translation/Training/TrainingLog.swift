// The loss log of a run: one CSV row per step (step, epoch, iteration, seconds, learning rate, then the
// losses under junyanz's names), appended as training goes and cut back to the checkpoint's step on resume.

import Foundation

public struct LossRecord: Equatable, Sendable {
  public var step: Int, epoch: Int, iteration: Int
  public var seconds: Double, learningRate: Float
  public var losses: CycleGANLosses

  public init(step: Int, epoch: Int, iteration: Int, seconds: Double, learningRate: Float, losses: CycleGANLosses) {
    (self.step, self.epoch, self.iteration, self.seconds, self.learningRate, self.losses)
      = (step, epoch, iteration, seconds, learningRate, losses)
  }
}

public final class TrainingLog {
  public static let header = "step,epoch,iteration,seconds,learning_rate,"
    + CycleGANLosses.columns.map(\.name).joined(separator: ",")
  public let url: URL
  public private(set) var records: [LossRecord] = []
  private let handle: FileHandle

  /// Opens (or creates) the log; keeps the rows up to `keepThrough` steps (resume) and drops the rest.
  public init(url: URL, keepThrough step: Int) throws {
    self.url = url
    if step > 0, let text = try? String(contentsOf: url, encoding: .utf8) {
      records = text.split(separator: "\n").dropFirst().compactMap(Self.parse).filter { $0.step <= step }
    }
    let body = ([Self.header] + records.map(Self.format)).joined(separator: "\n") + "\n"
    try Data(body.utf8).write(to: url)
    handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
  }

  deinit { try? handle.close() }

  public func append(_ r: LossRecord) throws {
    records.append(r)
    try handle.write(contentsOf: Data((Self.format(r) + "\n").utf8))
  }

  static func format(_ r: LossRecord) -> String {
    ([String(r.step), String(r.epoch), String(r.iteration), String(format: "%.3f", r.seconds), "\(r.learningRate)"]
      + CycleGANLosses.columns.map { "\(r.losses[keyPath: $0.loss])" }).joined(separator: ",")
  }

  static func parse(_ line: Substring) -> LossRecord? {
    let f = line.split(separator: ",").map(String.init)
    let columns = CycleGANLosses.columns
    guard f.count == 5 + columns.count, let step = Int(f[0]), let epoch = Int(f[1]),
          let iteration = Int(f[2]), let seconds = Double(f[3]), let rate = Float(f[4]) else { return nil }
    var losses = CycleGANLosses()
    for (column, text) in zip(columns, f[5...]) {
      guard let value = Float(text) else { return nil }
      losses[keyPath: column.loss] = value
    }
    return LossRecord(step: step, epoch: epoch, iteration: iteration, seconds: seconds, learningRate: rate, losses: losses)
  }
}
