// The loss log of a run: one CSV row per step (step, epoch, iteration, seconds, learning rate, then the
// method's losses under junyanz's names), appended as training goes and cut back to the checkpoint's step on resume.

import Foundation

public struct LossRecord: Equatable, Sendable {
  public var step: Int, epoch: Int, iteration: Int
  public var seconds: Double, learningRate: Float
  /// The step's losses in losses.csv order.
  public var losses: [NamedLoss]

  public init(step: Int, epoch: Int, iteration: Int, seconds: Double, learningRate: Float, losses: [NamedLoss]) {
    (self.step, self.epoch, self.iteration, self.seconds, self.learningRate, self.losses) = (
      step, epoch, iteration, seconds, learningRate, losses
    )
  }

  public init(step: Int, epoch: Int, iteration: Int, seconds: Double, learningRate: Float, losses: some TrainingLosses)
  {
    self.init(
      step: step, epoch: epoch, iteration: iteration, seconds: seconds, learningRate: learningRate,
      losses: losses.named)
  }

  /// The loss of column `name`, if the record has it.
  public func loss(_ name: String) -> Float? { losses.first { $0.name == name }?.value }
}

public final class TrainingLog {
  public let url: URL
  /// The loss columns (a method's `columnNames`).
  public let columns: [String]
  public private(set) var records: [LossRecord] = []
  private let handle: FileHandle

  public static func header(columns: [String]) -> String {
    "step,epoch,iteration,seconds,learning_rate," + columns.joined(separator: ",")
  }

  /// Opens (or creates) the log; keeps the rows up to `keepThrough` steps (resume) and drops the rest.
  public init(url: URL, columns: [String], keepThrough step: Int) throws {
    self.url = url
    self.columns = columns
    if step > 0, let text = try? String(contentsOf: url, encoding: .utf8) {
      records = text.split(separator: "\n").dropFirst().compactMap { Self.parse($0, columns: columns) }.filter {
        $0.step <= step
      }
    }
    let body = ([Self.header(columns: columns)] + records.map(Self.format)).joined(separator: "\n") + "\n"
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
      + r.losses.map { "\($0.value)" }).joined(separator: ",")
  }

  static func parse(_ line: Substring, columns: [String]) -> LossRecord? {
    let f = line.split(separator: ",").map(String.init)
    guard f.count == 5 + columns.count, let step = Int(f[0]), let epoch = Int(f[1]),
      let iteration = Int(f[2]), let seconds = Double(f[3]), let rate = Float(f[4])
    else { return nil }
    var losses: [NamedLoss] = []
    for (name, text) in zip(columns, f[5...]) {
      guard let value = Float(text) else { return nil }
      losses.append(NamedLoss(name, value))
    }
    return LossRecord(
      step: step, epoch: epoch, iteration: iteration, seconds: seconds, learningRate: rate, losses: losses)
  }
}
