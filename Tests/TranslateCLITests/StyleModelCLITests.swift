// `translate --model` with a fast style network file: the same command stylizes in one pass.

import Foundation
import Testing
import Translation

@Suite struct StyleModelCLITests {
  @Test func aStyleNetworkFileTranslatesImagesAtTheirSize() throws {
    let w = try Workspace()
    defer { w.remove() }
    try StyleNetworkFile.save(
      StyleTransformerNetwork(baseFilters: 4, blocks: 1, seed: 3), to: w.path("models/style.safetensors"))
    try w.writeImage("in/odd.png", width: 29, height: 18)
    let r = try CLI.run(["--model", "models/style.safetensors", "in", "-o", "out"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let out = try w.read("out/odd.png").image
    #expect(out.width == 29 && out.height == 18 && out.channels == 3)
  }
}
