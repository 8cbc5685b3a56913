// One TensorBoard event file: Event messages (tensorboard/compat/proto/event.proto, encoded by swift-protobuf
// from the committed generated code) in TFRecords. The first event names the format version, as TensorFlow's
// EventsWriter does; scalars use Summary.Value.simple_value and images Summary.Image with PNG bytes, the two
// forms TensorBoard's data_compat reads into its scalar and image plugins.

import Foundation
import SwiftProtobuf

/// Writes events to `<folder>/events.out.tfevents.<unix seconds>.<host>.<pid>` (TensorBoard finds files by
/// the "tfevents" in their name).
public final class EventFileWriter {
  public let path: String
  private let records: RecordWriter

  /// Creates the folder (with parents) and a new event file in it.
  public init(folder: URL, now: Date = Date()) throws(TensorBoardError) {
    do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
      throw .unwritable(path: folder.path, reason: String(describing: error))
    }
    let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
    let name = "events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(host).\(getpid())"
    path = folder.appendingPathComponent(name).path
    records = try RecordWriter(path: path)
    var version = Tensorboard_Event()
    version.wallTime = now.timeIntervalSince1970
    version.fileVersion = "brain.Event:2"
    try write(version)
  }

  /// One scalar: `value` of series `tag` at `step`.
  public func scalar(_ tag: String, _ value: Float, step: Int, wallTime: Date = Date()) throws(TensorBoardError) {
    var summaryValue = Tensorboard_Summary.Value()
    summaryValue.tag = tag
    summaryValue.simpleValue = value
    try write(summary: [summaryValue], step: step, wallTime: wallTime)
  }

  /// Several scalars at one step, in one event.
  public func scalars(_ values: [(tag: String, value: Float)], step: Int, wallTime: Date = Date())
    throws(TensorBoardError)
  {
    let summaryValues = values.map { tag, value in
      var v = Tensorboard_Summary.Value()
      v.tag = tag
      v.simpleValue = value
      return v
    }
    try write(summary: summaryValues, step: step, wallTime: wallTime)
  }

  /// An image of `width` × `height` pixels with `channels` (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) as PNG bytes.
  public func image(
    _ tag: String, png: [UInt8], width: Int, height: Int, channels: Int, step: Int, wallTime: Date = Date()
  ) throws(TensorBoardError) {
    var image = Tensorboard_Summary.Image()
    (image.width, image.height, image.colorspace) = (Int32(width), Int32(height), Int32(channels))
    image.encodedImageString = Data(png)
    var value = Tensorboard_Summary.Value()
    value.tag = tag
    value.image = image
    try write(summary: [value], step: step, wallTime: wallTime)
  }

  /// Makes everything written so far durable.
  public func flush() throws(TensorBoardError) { try records.flush() }

  private func write(summary values: [Tensorboard_Summary.Value], step: Int, wallTime: Date)
    throws(TensorBoardError)
  {
    var event = Tensorboard_Event()
    event.wallTime = wallTime.timeIntervalSince1970
    event.step = Int64(step)
    event.summary.value = values
    try write(event)
  }

  private func write(_ event: Tensorboard_Event) throws(TensorBoardError) {
    let bytes: [UInt8]
    do { bytes = try event.serializedBytes() } catch {
      throw .unwritable(path: path, reason: "event encoding: \(error)")
    }
    try records.write(bytes)
  }
}
