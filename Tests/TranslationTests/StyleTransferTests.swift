// `translate style`'s library function on a tiny synthetic content and style: the style loss falls by a
// large factor, the content loss stays bounded, and the image's colours and Gram statistics move to the style.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct StyleTransferTests {
  @Test func optimizationLowersStyleLossAndMovesStatisticsTowardTheStyle() {
    let (content, style) = (StyleFixtures.content(), StyleFixtures.style())
    var c = StyleTransferConfiguration()
    c.iterations = 80
    c.learningRate = 0.03
    c.styleWeight = 3
    let result = StyleTransfer.run(content: content, style: style, network: StyleFixtures.network, configuration: c)
    let (start, end) = (result.history[0], result.final)
    #expect(start.content == 0)
    print("style transfer 48²: style \(start.style) → \(end.style), content \(start.content) → \(end.content)")
    #expect(end.style * 5 <= start.style, "style loss \(start.style) → \(end.style)")
    // Bounded: below the content loss of simply replacing the content by the style image.
    let network = StyleFixtures.network
    let target = network.features(Variable(content), content: true).content!.value
    let replaced = contentLoss(network.features(Variable(style), content: true).content!, target: target).scalar
    #expect(end.content < 0.8 * replaced, "content loss \(end.content), style image's \(replaced)")
    // Channel means: at least halfway from the content's toward the style's.
    let (m0, ms, m1) = (
      StyleFixtures.channelMeans(content), StyleFixtures.channelMeans(style),
      StyleFixtures.channelMeans(result.tensor)
    )
    let before = zip(m0, ms).map { abs($0 - $1) }.reduce(0, +)
    let after = zip(m1, ms).map { abs($0 - $1) }.reduce(0, +)
    #expect(after <= 0.5 * before, "channel-mean distance \(before) → \(after)")
    // Pixel Gram (3×3 colour statistics): closer to the style's.
    let (g0, gs, g1) = (referenceGram(content), referenceGram(style), referenceGram(result.tensor))
    #expect(gramDistance(g1, gs) <= 0.5 * gramDistance(g0, gs), "\(gramDistance(g0, gs)) → \(gramDistance(g1, gs))")
  }

  @Test func noiseStartIsSeededAndResultsStayInNetworkRange() {
    var c = StyleTransferConfiguration()
    c.iterations = 3
    c.initialization = .noise
    c.seed = 5
    let run = {
      StyleTransfer.run(
        content: StyleFixtures.content(size: 24), style: StyleFixtures.style(size: 32),
        network: StyleFixtures.network, configuration: c
      ).tensor
    }
    let (a, b) = (run(), run())
    #expect(a == b)
    #expect(a.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
  }

  @Test func fileLevelRunWritesTheContentsSizeAndAlpha() throws {
    // A 40×24 gray+alpha content: the output is RGB + alpha at 40×24.
    var samples = [UInt16](repeating: 0, count: 40 * 24 * 2)
    for p in 0..<(40 * 24) {
      samples[2 * p] = UInt16(p % 256)
      samples[2 * p + 1] = UInt16(255 - p % 97)
    }
    let content = Image(width: 40, height: 24, channels: 2, bitDepth: 8, samples: samples)
    let style = Image(tensor: StyleFixtures.style(size: 32))
    let (contentPath, stylePath, outPath) = (
      temporaryPath("c.png"), temporaryPath("s.png"),
      temporaryPath("out.png")
    )
    defer { for p in [contentPath, stylePath, outPath] { try? FileManager.default.removeItem(atPath: p) } }
    try ImageWriter.write(content, to: contentPath)
    try ImageWriter.write(style, to: stylePath)
    var c = StyleTransferConfiguration()
    c.size = 32
    c.iterations = 2
    c.features = .random(seed: 1)
    _ = try StyleTransfer.run(contentPath: contentPath, stylePath: stylePath, outputPath: outPath, configuration: c)
    let out = try ImageDecoder.load(path: outPath).image
    #expect((out.width, out.height, out.channels) == (40, 24, 4))
    let outAlpha: [UInt16] = (0..<(40 * 24)).map { out.samples[$0 * 4 + 3] }
    let inAlpha: [UInt16] = (0..<(40 * 24)).map { content.samples[$0 * 2 + 1] }
    #expect(outAlpha == inAlpha)
    #expect(throws: StyleError.self) {
      try StyleTransfer.run(
        contentPath: "/nonexistent.png", stylePath: stylePath, outputPath: outPath, configuration: c)
    }
  }
}
