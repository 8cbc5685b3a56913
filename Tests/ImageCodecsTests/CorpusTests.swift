// Conformance: every file in ../shared/corpora/{png,jpeg} meets the verdict its README table gives
// (ACCEPT decodes, REJECT throws, UNSUPPORTED throws .unsupported, POLICY may do either but must return).
// Without the corpora these tests are reported as skipped: the project's own fixtures never need them.
import Foundation
import Testing

@testable import ImageCodecs

/// One row of a corpus README table.
struct CorpusEntry {
  enum Verdict: String {
    case accept = "ACCEPT"
    case reject = "REJECT"
    case policy = "POLICY"
    case unsupported = "UNSUPPORTED"
  }
  let relativePath: String
  let verdict: Verdict
  /// "must be upright, WxH" in the exercises column (EXIF orientation samples).
  let uprightSize: (width: Int, height: Int)?
  /// "REJECT as JPEG (or sniff the real format)": decoding as another format also meets the verdict.
  let mayBeSniffed: Bool
}

enum CorpusTable {
  /// Parses the markdown tables: a "## folder/ …" heading sets the folder, a header row locates the
  /// "file", "exercises" and "expected" columns, and each data row gives one entry.
  static func entries(readme: String) -> [CorpusEntry] {
    var folder = ""
    var columns: [String: Int] = [:]
    var entries: [CorpusEntry] = []
    for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("## ") {
        let token = line.dropFirst(3).split(separator: " ").first.map(String.init) ?? ""
        folder = token.hasSuffix("/") ? String(token.dropLast()) : ""
        columns = [:]
        continue
      }
      guard line.hasPrefix("|") else { continue }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
        .map { $0.trimmingCharacters(in: .whitespaces) }
      if cells.first == "file" {
        for (i, name) in cells.enumerated() { columns[name] = i }
        continue
      }
      guard !folder.isEmpty, let fileColumn = columns["file"], let expectedColumn = columns["expected"],
        cells.count > expectedColumn, cells[fileColumn].contains(".")
      else { continue }
      let expected = cells[expectedColumn].replacingOccurrences(of: "*", with: "")
      guard let word = expected.split(separator: " ").first,
        let verdict = CorpusEntry.Verdict(rawValue: String(word.prefix { $0.isLetter }))
      else { continue }
      let exercises = columns["exercises"].map { cells[$0] } ?? ""
      entries.append(
        CorpusEntry(
          relativePath: "\(folder)/\(cells[fileColumn])", verdict: verdict,
          uprightSize: uprightSize(in: exercises),
          mayBeSniffed: expected.contains("sniff the real format")))
    }
    return entries
  }

  static func uprightSize(in text: String) -> (width: Int, height: Int)? {
    guard let range = text.range(of: "must be upright, ") else { return nil }
    let dims = text[range.upperBound...].split(separator: "x")
    guard dims.count >= 2, let w = Int(dims[0]), let h = Int(dims[1].prefix { $0.isNumber }) else { return nil }
    return (w, h)
  }
}

@Suite struct CorpusTests {
  @Test(.requiresCorpus("png")) func pngCorpusVerdictsAreMet() throws { try checkVerdicts(corpus: "png") }
  @Test(.requiresCorpus("jpeg")) func jpegCorpusVerdictsAreMet() throws { try checkVerdicts(corpus: "jpeg") }

  func checkVerdicts(corpus: String) throws {
    let folder = try #require(TestPaths.corpusFolder(corpus))
    let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
    let entries = CorpusTable.entries(readme: readme)
    #expect(entries.count > 100)
    var met: [CorpusEntry.Verdict: Int] = [:]
    var policyDecoded = 0
    for entry in entries {
      let path = folder.appendingPathComponent(entry.relativePath).path
      let outcome = Result { () throws(ImageCodecError) in try ImageDecoder.load(path: path) }
      switch (entry.verdict, outcome) {
      case (.accept, .success(let decoded)):
        if let size = entry.uprightSize {
          #expect(decoded.image.width == size.width && decoded.image.height == size.height, "\(path)")
        }
        met[.accept, default: 0] += 1
      case (.reject, .success(let decoded)) where entry.mayBeSniffed && decoded.format != .jpeg:
        met[.reject, default: 0] += 1
      case (.reject, .failure), (.policy, .failure):
        met[entry.verdict, default: 0] += 1
      case (.policy, .success):
        met[.policy, default: 0] += 1
        policyDecoded += 1
      case (.unsupported, .failure(let error)):
        guard case .unsupported = error else {
          Issue.record("\(entry.relativePath): expected unsupported, got \(error)")
          continue
        }
        met[.unsupported, default: 0] += 1
      default:
        Issue.record("\(entry.relativePath): expected \(entry.verdict.rawValue), got \(outcome)")
      }
    }
    let summary = met.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
    print(
      "corpus \(corpus): \(entries.count) files; met: \(summary.joined(separator: ", ")); "
        + "POLICY decoded \(policyDecoded), rejected \(met[.policy, default: 0] - policyDecoded)")
  }
}

@Suite struct CorpusColourTests {
  /// Go's test frame exists as YCbCr and as Adobe (inverted) CMYK: both must decode to nearly the same
  /// RGB, which shows the inversion is handled (a wrong guess gives a photographic negative).
  @Test(.requiresCorpus("jpeg")) func adobeCMYKMatchesTheYCbCrFrame() throws {
    let folder = try #require(TestPaths.corpusFolder("jpeg"))
    let cmyk = try ImageDecoder.load(path: folder.appendingPathComponent("colorspace/go_video-001.cmyk.jpeg").path)
    let ycc = try ImageDecoder.load(path: folder.appendingPathComponent("baseline_and_sampling/go_video-001.jpeg").path)
    #expect(cmyk.image.channels == 3 && cmyk.image.width == ycc.image.width)
    // Without ICC profiles CMYK → RGB is approximate: Pillow's conversion is also 34.9 off this frame.
    // Misreading Adobe's inverted CMYK would give a negative, ~146 off.
    let difference = cmyk.image.meanAbsoluteDifference(ycc.image)
    #expect(difference < 40, "mean difference \(difference)")
    var negative = cmyk.image
    negative.samples = negative.samples.map { 255 - $0 }
    #expect(negative.meanAbsoluteDifference(ycc.image) > 3 * difference)
  }
}
