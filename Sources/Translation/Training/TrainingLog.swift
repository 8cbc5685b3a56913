// The loss log of a run: one CSV row per step (step, epoch, iteration, seconds, learning rate, the eight
// losses), appended as training goes and cut back to the checkpoint's step on resume.

import Foundation

public struct LossRecord: Equatable, Sendable {
  public var step: Int, epoch: Int, iteration: Int
  public var seconds: Double, learningRate: Float
  public var losses: CycleGANLosses
}

public final class TrainingLog {
  public static let header = "step,epoch,iteration,seconds,learning_rate," + CycleGANLosses.names.joined(separator: ",")
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
      + r.losses.values.map { "\($0)" }).joined(separator: ",")
  }

  static func parse(_ line: Substring) -> LossRecord? {
    let f = line.split(separator: ",").map(String.init)
    guard f.count == 5 + CycleGANLosses.names.count, let step = Int(f[0]), let epoch = Int(f[1]),
          let iteration = Int(f[2]), let seconds = Double(f[3]), let rate = Float(f[4]) else { return nil }
    let v = f[5...].compactMap(Float.init)
    guard v.count == CycleGANLosses.names.count else { return nil }
    let losses = CycleGANLosses(v)
    return LossRecord(step: step, epoch: epoch, iteration: iteration, seconds: seconds, learningRate: rate, losses: losses)
  }
}
