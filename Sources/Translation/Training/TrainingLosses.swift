// What any training method's step reports, by name: the losses in their losses.csv order under junyanz's
// column names, so that the log, the progress line and the report need no method-specific code.

/// One loss of a step under its losses.csv column name.
public struct NamedLoss: Equatable, Sendable {
  public let name: String
  public var value: Float
  public init(_ name: String, _ value: Float) { (self.name, self.value) = (name, value) }
}

/// Losses a chart draws together, e.g. the discriminators', by column name.
public struct LossGroup: Equatable, Sendable {
  public let title: String
  public let columns: [String]
  public init(_ title: String, _ columns: [String]) { (self.title, self.columns) = (title, columns) }
}

/// A training method's losses struct (named fields), read by column.
public protocol TrainingLosses: Sendable {
  /// The losses.csv columns of this method, in order (also for a step that has not run).
  static var columnNames: [String] { get }
  /// The losses in `columnNames` order.
  var named: [NamedLoss] { get }
}

extension TrainingLosses {
  /// The column names of the losses that are NaN or infinite.
  public var nonFinite: [String] { named.filter { !$0.value.isFinite }.map(\.name) }
  public var allFinite: Bool { nonFinite.isEmpty }
}
