// .pth checkpoints as model files (issue 13): torch.save's files (scripts/make_pth_fixtures.py) load through
// TranslationModel with the architecture detected as for safetensors, and the generators' outputs match
// PyTorch's within 1e-5; a refused checkpoint surfaces as a ModelFileError naming the file.

import Foundation
import TestSupport
import Testing
import Translation

private func pth(_ name: String) -> String { fixturePath("PyTorchFilesTests", name) }

@Suite struct PyTorchModelTests {
  static let io = Result { try SafeTensors.read(pth("generators_io.safetensors")) }

  @Test(arguments: [
    ("resnet_zip_f32.pth", "resnet", "resnet_output"), ("resnet_legacy_f32.pth", "resnet", "resnet_output"),
    ("resnet_zip_f16.pth", "resnet", "resnet_f16_output"), ("resnet_legacy_f16.pth", "resnet", "resnet_f16_output"),
    ("resnet_zip_bf16.pth", "resnet", "resnet_bf16_output"), ("resnet_module_prefix.pth", "resnet", "resnet_output"),
    ("resnet_views.pth", "resnet", "resnet_output"), ("resnet_views_legacy.pth", "resnet", "resnet_output"),
    ("resnet_dropout_legacy.pth", "dropout", "dropout_output"), ("unet_zip_f32.pth", "unet", "unet_output"),
  ])
  func generatorFromPthMatchesPyTorch(_ file: String, _ input: String, _ output: String) throws {
    let io = try Self.io.get()
    let model = try TranslationModel.load(pth(file))
    let generator = try model.generator(.aToB)
    let y = try LayerMode.inference { generator(Variable(try io.tensor(input + "_input"))) }
    let d = maxAbsDifference(y.value, try io.tensor(output))
    if ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil { print("fixture \(file): max |Δ| = \(d)") }
    #expect(d < 1e-5, "\(file): max |Δ| = \(d)")
  }

  @Test func architectureIsDetectedFromThePickle() throws {
    let resnet = try ModelDescription.read(pth("resnet_legacy_f32.pth"))
    #expect(
      resnet.architecture
        == .resnet(
          inChannels: 3, outChannels: 3, baseFilters: 2, blocks: 2, norm: .instance, dropout: false, padding: .reflect))
    #expect(resnet.kind == .plainGenerator(bothDirections: false))
    let dropout = try ModelDescription.read(pth("resnet_dropout_legacy.pth"))
    if case .resnet(_, _, _, _, _, let hasDropout, _, _) = dropout.architecture {
      #expect(hasDropout)
    } else {
      Issue.record("not a ResNet: \(dropout.architecture)")
    }
    let unet = try ModelDescription.read(pth("unet_zip_f32.pth"))
    #expect(
      unet.architecture
        == .unet(inChannels: 3, outChannels: 3, baseFilters: 2, downsamplings: 5, norm: .instance, dropout: false))
  }

  @Test func moduleprefixIsStripped() throws {
    let model = try TranslationModel.load(pth("resnet_module_prefix.pth"))
    #expect(model.tensorNames.first == "model.1.weight")
    #expect(!model.tensorNames.contains { $0.hasPrefix("module.") })
  }

  @Test func hostileCheckpointIsAModelFileError() {
    let path = pth("hostile_posix_system.pth")
    do {
      _ = try TranslationModel.load(path)
      Issue.record("a pickle naming posix.system was loaded")
    } catch {
      guard case .unreadableCheckpoint(let p, .forbiddenGlobal(_, "posix", "system")) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(p == path)
      #expect(error.description.hasPrefix(path + ": refused global 'posix.system'"))
    }
  }
}
