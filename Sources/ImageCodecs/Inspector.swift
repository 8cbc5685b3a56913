// Dataset inspection behind `translate inspect`: one record per image (format, size, channels, bit depth,
// EXIF orientation, or the error) and a summary (per format, per size range, failures). Verdicts are the
// decoder's own: every file is fully decoded with the given options.
import Foundation

/// What inspecting one file found.
public struct InspectRecord: Sendable, Codable, Equatable {
  public let path: String
  public var format: ImageFormat? = nil
  /// Upright size (after EXIF orientation).
  public var width: Int? = nil, height: Int? = nil
  public var channels: Int? = nil, bitDepth: Int? = nil
  /// EXIF Orientation value 1–8 (1 when absent).
  public var orientation: Int? = nil
  /// libpng/libjpeg warnings on data that still decoded.
  public var warnings: Int? = nil
  /// Why the file failed, nil when it decoded.
  public var error: String? = nil
  /// A measure of the decoded image the caller asked for (`translate inspect --checkerboard`: the checkerboard
  /// index, computed above this module), nil otherwise.
  public var checkerboard: Double? = nil

  public var decoded: Bool { error == nil }

  /// "path: PNG 32x32 RGBA 16-bit orientation 1" or "path: error: reason".
  public var line: String {
    guard let format, let width, let height, let channels, let bitDepth, error == nil else {
      return "\(path): error: \(error ?? "unknown")"
    }
    let layout = ["gray", "gray+alpha", "RGB", "RGBA"][max(0, min(3, channels - 1))]
    let extra = (warnings ?? 0) > 0 ? " (\(warnings ?? 0) decoder warnings)" : ""
    let measure = checkerboard.map { String(format: " checkerboard %.2f", $0) } ?? ""
    return "\(path): \(format.rawValue.uppercased()) \(width)x\(height) \(layout) \(bitDepth)-bit "
      + "orientation \(orientation ?? 1)\(measure)\(extra)"
  }
}

/// Counts over all records.
public struct InspectSummary: Sendable, Codable, Equatable {
  public var total = 0, decoded = 0, failed = 0
  /// Decoded images per format ("png", "jpeg").
  public var perFormat: [String: Int] = [:]
  /// Decoded images per range of the longer side, keys from `InspectSummary.sizeRange(longerSide:)`.
  public var perSizeRange: [String: Int] = [:]

  /// "<256", "256-511", "512-1023", "1024-2047", ">=2048" (pixels on the longer side).
  public static func sizeRange(longerSide side: Int) -> String {
    switch side {
    case ..<256: return "<256"
    case ..<512: return "256-511"
    case ..<1024: return "512-1023"
    case ..<2048: return "1024-2047"
    default: return ">=2048"
    }
  }

  public var lines: [String] {
    let formats = perFormat.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    let order = ["<256", "256-511", "512-1023", "1024-2047", ">=2048"]
    let sizes = order.compactMap { key in perSizeRange[key].map { "\(key): \($0)" } }.joined(separator: ", ")
    return [
      "\(total) files: \(decoded) decoded, \(failed) failed",
      "formats: \(formats.isEmpty ? "none" : formats)",
      "sizes (longer side): \(sizes.isEmpty ? "none" : sizes)",
    ]
  }
}

/// Records in input order (folders expanded in DomainFolder order) and their summary; as JSON,
/// {"records": […], "summary": {…}}.
public struct InspectReport: Sendable, Codable, Equatable {
  public var records: [InspectRecord] = []
  public var summary = InspectSummary()

}

public enum Inspector {
  /// Inspects files and folders (folders recursively, png/jpg/jpeg only; files named explicitly are
  /// inspected whatever their extension). `checkerboard`, when given, measures each decoded image.
  public static func inspect(
    paths: [String], options: DecodeOptions = DecodeOptions(), checkerboard: ((Image) -> Double)? = nil
  ) -> InspectReport {
    var report = InspectReport()
    for path in paths {
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
        do {
          for file in try DomainFolder(URL(fileURLWithPath: path)).files {
            add(inspect(file: file, options: options, checkerboard: checkerboard), to: &report)
          }
        } catch {
          add(InspectRecord(path: path, error: error.reason), to: &report)
        }
      } else {
        add(inspect(file: path, options: options, checkerboard: checkerboard), to: &report)
      }
    }
    return report
  }

  /// Decodes one file and describes it.
  public static func inspect(file path: String, options: DecodeOptions, checkerboard: ((Image) -> Double)? = nil)
    -> InspectRecord
  {
    do {
      let decoded = try ImageDecoder.load(path: path, options: options)
      let image = decoded.image
      return InspectRecord(
        path: path, format: decoded.format, width: image.width, height: image.height,
        channels: image.channels, bitDepth: image.bitDepth,
        orientation: decoded.orientation.rawValue, warnings: decoded.warnings, checkerboard: checkerboard?(image))
    } catch {
      return InspectRecord(path: path, error: error.reason)
    }
  }

  static func add(_ record: InspectRecord, to report: inout InspectReport) {
    report.records.append(record)
    report.summary.total += 1
    guard record.decoded, let format = record.format, let width = record.width, let height = record.height else {
      report.summary.failed += 1
      return
    }
    report.summary.decoded += 1
    report.summary.perFormat[format.rawValue, default: 0] += 1
    report.summary.perSizeRange[InspectSummary.sizeRange(longerSide: max(width, height)), default: 0] += 1
  }
}
