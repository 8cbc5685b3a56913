// Inspection records and summary: per-file lines, failures counted, size ranges, JSON shape.
import Foundation
import TestSupport
import Testing

@testable import ImageCodecs

@Suite struct InspectorTests {
  @Test func folderReportListsEveryImageAndCountsFailures() throws {
    let root = try DomainFolderTests.makeDomain()
    let report = Inspector.inspect(paths: [root.path])
    #expect(report.summary.total == 4 && report.summary.decoded == 3 && report.summary.failed == 1)
    #expect(report.summary.perFormat == ["jpeg": 2, "png": 1])
    #expect(report.summary.perSizeRange == ["<256": 3])
    let lines = report.records.map(\.line)
    #expect(lines[0].hasSuffix("a.jpg: JPEG 30x12 gray 8-bit orientation 1"))
    #expect(lines[1].hasSuffix("b.PNG: PNG 20x10 RGB 8-bit orientation 1"))
    #expect(lines[2].hasSuffix("broken.png: error: not a PNG or JPEG file"))
  }

  @Test func aGivenMeasureIsTakenOfEveryDecodedImage() throws {
    let root = try DomainFolderTests.makeDomain()
    var sizes: [Int] = []
    let report = Inspector.inspect(paths: [root.path]) { image in
      sizes.append(image.width)
      return Double(image.width) / 4
    }
    #expect(sizes == [30, 20, 16])  // the broken file is not measured
    #expect(report.records.map(\.checkerboard) == [7.5, 5, nil, 4])  // a.jpg, b.PNG, sub/broken.png, sub/c.JPEG
    #expect(report.records[0].line.hasSuffix("a.jpg: JPEG 30x12 gray 8-bit orientation 1 checkerboard 7.50"))
  }

  @Test func missingPathIsAFailureRecord() {
    let report = Inspector.inspect(paths: ["/nonexistent/x.png"])
    #expect(report.summary.failed == 1)
    #expect(report.records[0].error == "cannot read: No such file or directory")
  }

  @Test func jsonCarriesRecordsAndSummary() throws {
    let path = URL(fileURLWithPath: try makeTemporaryFolder("imagecodecs")).appendingPathComponent("big.png").path
    try ImageWriter.write(Image(width: 600, height: 20, channels: 4, bitDepth: 16), to: path)
    let report = Inspector.inspect(paths: [path])
    let decoded = try JSONDecoder().decode(InspectReport.self, from: JSONEncoder().encode(report))
    #expect(decoded == report)
    #expect(decoded.records[0].bitDepth == 16 && decoded.records[0].channels == 4)
    #expect(decoded.summary.perSizeRange == ["512-1023": 1])
  }
}
