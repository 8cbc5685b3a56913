// PngSuite pixels against an independent decode (pypng, cross-checked with Pillow) committed as hashes in
// Fixtures/pngsuite_reference.tsv by scripts/make_codec_fixtures.py. Reported skipped when the corpus is absent.
import Foundation
import Testing

@testable import ImageCodecs

@Suite struct ReferenceDecodeTests {
  @Test(.requiresCorpus("png")) func pngSuiteMatchesIndependentDecode() throws {
    let corpus = try #require(TestPaths.corpusFolder("png"))
    let table = try String(
      contentsOf: TestPaths.fixtures.appendingPathComponent("pngsuite_reference.tsv"),
      encoding: .utf8)
    var checked = 0
    for line in table.split(separator: "\n") where !line.hasPrefix("#") {
      let f = line.split(separator: "\t").map(String.init)
      try #require(f.count == 6)
      let decoded = try ImageDecoder.load(
        path: corpus.appendingPathComponent("pngsuite/\(f[0])").path,
        options: DecodeOptions(applyOrientation: false)
      ).image
      let got =
        [decoded.width, decoded.height, decoded.channels, decoded.bitDepth].map(String.init)
        + [String(format: "%016llx", fnv1a64(samples: decoded.samples))]
      #expect(got == Array(f[1...]), "\(f[0])")
      checked += 1
    }
    #expect(checked >= 40)
  }
}
