// `translate bench generator` and `bench train-step` on the real binary, as bench/compare-pytorch calls them:
// JSON fields, the forward pass it times is the network's (same output as the library's own forward), and
// refusals name the file.

import Foundation
import Testing
import TestSupport
import Translation

@Suite struct BenchCLITests {
  struct Timing: Decodable {
    let name: String
    let seconds: [Double]
    let gflops: Double?
    let peak_resident_bytes: Int
  }

  @Test func generatorTimesTheForwardPassOfTheGivenWeightsAndInput() throws {
    let w = try Workspace()
    defer { w.remove() }
    let architecture = GeneratorArchitecture.resnet(inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2,
                                                    norm: .instance, dropout: false, padding: .reflect)
    try w.savePlainGenerator("g.safetensors", architecture)
    let x = randomTensor([1, 3, 20, 24], seed: 5)
    try SafeTensors.write([("input", x)], to: w.path("x.safetensors"))
    let r = try CLI.run(["bench", "generator", "--weights", "g.safetensors", "--input", "x.safetensors",
                         "--output", "y.safetensors", "--repeats", "2", "--json"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let timing = try JSONDecoder().decode(Timing.self, from: Data(r.stdout.utf8))
    #expect(timing.name == "generator-forward" && timing.seconds.count == 2 && timing.seconds.allSatisfy { $0 > 0 })
    #expect((timing.gflops ?? 0) > 0 && timing.peak_resident_bytes > 1 << 20)

    let net = architecture.build()
    try net.load(SafeTensors.read(w.path("g.safetensors")).tensors, source: "g.safetensors")
    let expected = GradientMode.withoutGradients { net(Variable(x)).value }
    let y = try SafeTensors.read(w.path("y.safetensors")).tensor("output")
    #expect(y.shape == expected.shape)
    #expect(maxAbsDifference(y, expected) < 1e-5)
  }

  @Test func trainStepRunsFullCycleGANSteps() throws {
    let w = try Workspace()
    defer { w.remove() }
    let r = try CLI.run(["bench", "train-step", "--size", "32", "--blocks", "1", "--base-filters", "4",
                         "--discriminator-filters", "4", "--repeats", "1", "--json"], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let timing = try JSONDecoder().decode(Timing.self, from: Data(r.stdout.utf8))
    #expect(timing.name == "train-step" && timing.seconds.count == 1 && timing.gflops == nil)
  }

  @Test func benchWithoutSubcommandReportsTheGeneratorAndEveryConvolution() throws {
    struct Row: Decodable { let layer: String; let pass: String; let gflops: Double }
    struct Combined: Decodable { let generator: Timing; let convolutions: [Row] }
    let w = try Workspace()
    defer { w.remove() }
    let r = try CLI.run(["bench", "--size", "16", "--base-filters", "4", "--blocks", "1", "--repeats", "1", "--json"],
                        in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let combined = try JSONDecoder().decode(Combined.self, from: Data(r.stdout.utf8))
    #expect(combined.generator.name == "generator-forward" && (combined.generator.gflops ?? 0) > 0)
    // Seven distinct convolutions × three passes.
    #expect(combined.convolutions.count == 21 && Set(combined.convolutions.map(\.layer)).count == 7)
  }

  @Test func wrongWeightsAreRefusedNamingTheFile() throws {
    let w = try Workspace()
    defer { w.remove() }
    try SafeTensors.write([("model.0.weight", Tensor(zeros: [8, 3, 4, 4]))], to: w.path("d.safetensors"))
    let r = try CLI.run(["bench", "generator", "--weights", "d.safetensors", "--repeats", "1"], in: w.root)
    #expect(r.status != 0 && r.stderr.contains("d.safetensors"), "\(r.stderr)")
    let missing = try CLI.run(["bench", "generator", "--weights", "none.safetensors", "--repeats", "1"], in: w.root)
    #expect(missing.status != 0 && missing.stderr.contains("none.safetensors"), "\(missing.stderr)")
  }
}
