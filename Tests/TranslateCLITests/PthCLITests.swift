// PyTorch .pth checkpoints through the real binary (issue 13): translating with --model x.pth, converting to a
// plain safetensors state_dict that translates identically, and a hostile checkpoint refused with its reason.

import Foundation
import TestSupport
import Testing
import Translation

private func pth(_ name: String) -> String { fixturePath("PyTorchFilesTests", name) }

@Suite struct PthCLITests {
  @Test func translatesWithAPthAndItsConversionAlike() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("in/a.png", width: 20, height: 12)
    let direct = try CLI.run(["--model", pth("resnet_legacy_f32.pth"), "in/a.png", "-o", "direct.png"], in: w.root)
    #expect(direct.status == 0, "\(direct.stderr)")
    let convert = try CLI.run(["convert", pth("resnet_module_prefix.pth"), "-o", "plain.safetensors"], in: w.root)
    #expect(convert.status == 0, "\(convert.stderr)")
    let plain = try SafeTensors.read(w.path("plain.safetensors"))
    #expect(plain.names.first == "model.1.weight" && plain.metadata["format"] == "pt")
    let converted = try CLI.run(["--model", "plain.safetensors", "in/a.png", "-o", "converted.png"], in: w.root)
    #expect(converted.status == 0, "\(converted.stderr)")
    #expect(try w.read("direct.png").image.samples == (try w.read("converted.png").image.samples))
  }

  @Test func convertExtractsOneGeneratorOfOurModelFile() throws {
    let w = try Workspace()
    defer { w.remove() }
    let refused = try CLI.run(["convert", "models/day2night.safetensors", "-o", "g.safetensors"], in: w.root)
    #expect(refused.status != 0 && refused.stderr.contains("--direction"), "\(refused.stderr)")
    let r = try CLI.run(
      ["convert", "models/day2night.safetensors", "--direction", "BtoA", "-o", "g.safetensors"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let ours = try TranslationModel.load(w.path("models/day2night.safetensors"))
    let plain = try SafeTensors.read(w.path("g.safetensors"))
    let expected = ours.tensorNames.filter { $0.hasPrefix("G_B.") }.map { String($0.dropFirst(4)) }
    #expect(plain.names.sorted() == expected.sorted())
    #expect(try plain.tensor("model.1.weight") == ours.tensor("G_B.model.1.weight"))
  }

  @Test func hostileCheckpointIsRefusedWithItsReason() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("in/a.png", width: 8, height: 8)
    let r = try CLI.run(["--model", pth("hostile_builtins_eval.pth"), "in/a.png", "-o", "out.png"], in: w.root)
    #expect(r.status != 0)
    #expect(r.stderr.contains("refused global 'builtins.eval'"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: w.path("out.png")))
  }
}
