// Writing a day/night dataset to disk: `<dir>/day/NNNN.<ext>` and `<dir>/night/NNNN.<ext>`, from
// independent scene streams (unpaired: the CycleGAN case) or from the same scenes (paired: evaluation).
// Each image's scene depends only on (seed, stream, index): the same arguments give byte-identical files.

import Foundation
import ImageCodecs
import TensorCore

/// The file format of a rendered dataset.
public enum DatasetImageFormat: String, CaseIterable, Sendable {
  case jpg, png

  public var fileExtension: String { rawValue }

  /// JPEG at quality 92 with 4:2:0 chroma (small files, lit windows stay crisp); PNG lossless.
  public var encodeOptions: EncodeOptions {
    switch self {
    case .jpg: return .jpeg(quality: DayNightDataset.jpegQuality, chroma: .subsampled420)
    case .png: return .png
    }
  }
}

/// Failures writing a dataset that are not image-encoding failures (those are `ImageCodecError`).
public enum DayNightDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The output folder could not be created.
  case cannotCreateFolder(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotCreateFolder(let path, let reason): return "\(path): cannot create folder: \(reason)"
    }
  }
}

/// Renders and writes day/night datasets.
public enum DayNightDataset {
  public static let jpegQuality = 92
  /// Names of the two domain folders.
  public static let dayFolder = "day", nightFolder = "night"

  /// What `write` produced.
  public struct Summary: Equatable, Sendable {
    public var count: Int
    public var size: Int
    public var paired: Bool
    public var dayFolder: URL
    public var nightFolder: URL
    /// Bytes of all files written (both folders).
    public var bytes: Int
  }

  /// The scene behind image `index` of `stream` (`.day` or `.night`) for `seed`. Paired datasets use the
  /// day stream for both folders, so paired day images equal unpaired day images.
  public static func scene(index: Int, seed: UInt64, stream: SceneLighting) -> DayNightScene {
    let tag: UInt64 = stream == .day ? Stream.day : Stream.night
    var rng = SeededGenerator(seed: mix(mix(seed ^ tag) ^ UInt64(truncatingIfNeeded: index)))
    return DayNightScene.random(using: &rng)
  }

  /// The day and night images of `index` (same scene when `paired`), `size × size`.
  public static func images(index: Int, size: Int, seed: UInt64, paired: Bool) -> (day: Image, night: Image) {
    let day = scene(index: index, seed: seed, stream: .day)
    let night = paired ? day : scene(index: index, seed: seed, stream: .night)
    return (
      day.render(width: size, height: size, lighting: .day),
      night.render(width: size, height: size, lighting: .night)
    )
  }

  /// "0007.jpg": zero-padded to four digits, or more when `count` needs them.
  public static func fileName(index: Int, count: Int, format: DatasetImageFormat) -> String {
    let digits = max(Self.minimumDigits, String(max(count - 1, 0)).count)
    let number = String(index)
    return String(repeating: "0", count: max(digits - number.count, 0)) + number + "." + format.fileExtension
  }

  /// Writes `count` images per domain into `directory/day` and `directory/night` (created if needed;
  /// existing files with the same names are replaced atomically, others are left alone).
  public static func write(
    count: Int, size: Int, seed: UInt64, paired: Bool, to directory: URL,
    format: DatasetImageFormat = .jpg
  ) throws -> Summary {
    precondition(count >= 1 && size >= 1, "DayNightDataset.write: count \(count), size \(size)")
    let dayURL = directory.appendingPathComponent(dayFolder, isDirectory: true)
    let nightURL = directory.appendingPathComponent(nightFolder, isDirectory: true)
    for folder in [dayURL, nightURL] {
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw DayNightDatasetError.cannotCreateFolder(path: folder.path, reason: error.localizedDescription)
      }
    }
    var bytes = 0
    for index in 0..<count {
      let (day, night) = images(index: index, size: size, seed: seed, paired: paired)
      let name = fileName(index: index, count: count, format: format)
      for (image, folder) in [(day, dayURL), (night, nightURL)] {
        let path = folder.appendingPathComponent(name).path
        try ImageWriter.write(image, to: path, options: format.encodeOptions)
        bytes += fileSize(path)
      }
    }
    return Summary(count: count, size: size, paired: paired, dayFolder: dayURL, nightFolder: nightURL, bytes: bytes)
  }

  private static let minimumDigits = 4

  /// Stream tags: arbitrary distinct constants, so the day and night streams never share a scene.
  private enum Stream {
    static let day: UInt64 = 0x6461_7900_0000_0001  // "day"
    static let night: UInt64 = 0x6E69_6768_7400_0002  // "night"
  }

  /// SplitMix64's finalizer: spreads nearby seeds and indices over the whole 64-bit range.
  private static func mix(_ x: UInt64) -> UInt64 { splitMixFinalize(x &+ splitMixGamma) }

  private static func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
  }
}
