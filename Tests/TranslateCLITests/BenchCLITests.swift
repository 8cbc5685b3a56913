// `translate bench generator` and `bench train-step` on the real binary, as bench/compare-pytorch calls them:
// JSON fields, the forward pass it times is the network's (same output as the library's own forward), and
// refusals name the file.

import Foundation
import TestSupport
import Testing
import Translation

@Suite struct BenchCLITests {
  struct Timing: Decodable {
    let name: String
    let seconds: [Double]
    let gflops: Double?
    let peak_resident_bytes: Int
    let blas: String
  }

  @Test func generatorTimesTheForwardPassOfTheGivenWeightsAndInput() throws {
    let w = try Workspace()
    defer { w.remove() }
    let architecture = GeneratorArchitecture.resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 2,
      norm: .instance, dropout: false, padding: .reflect)
    try w.savePlainGenerator("g.safetensors", architecture)
    let x = randomTensor([1, 3, 20, 24], seed: 5)
    try SafeTensors.write([("input", x)], to: w.path("x.safetensors"))
    let r = try CLI.run(
      [
        "bench", "generator", "--weights", "g.safetensors", "--input", "x.safetensors",
        "--output", "y.safetensors", "--repeats", "2", "--json",
      ], in: w.root)
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
    let r = try CLI.run(
      [
        "bench", "train-step", "--size", "32", "--blocks", "1", "--base-filters", "4",
        "--discriminator-filters", "4", "--repeats", "1", "--json",
      ], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    let timing = try JSONDecoder().decode(Timing.self, from: Data(r.stdout.utf8))
    #expect(timing.name == "train-step" && timing.seconds.count == 1 && timing.gflops == nil)
  }

  @Test func trainStepTrainsOnTheGivenBatchesAndWritesTheWeights() throws {
    let w = try Workspace()
    defer { w.remove() }
    var configuration = CycleGANConfiguration()
    configuration.generator = .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 1, norm: .instance,
      dropout: false, padding: .reflect)
    configuration.discriminatorFilters = 4
    var model = CycleGAN(configuration)
    try SafeTensors.write(model.networks.flatMap { $0.layer.stateDict(prefix: $0.prefix) }, to: w.path("w.safetensors"))
    var rng = SeededGenerator(seed: 9)
    let (a, b) = (
      Tensor.uniform([1, 3, 32, 28], low: -1, high: 1, using: &rng),
      Tensor.uniform([1, 3, 32, 28], low: -1, high: 1, using: &rng)
    )
    try SafeTensors.write([("real_A", a), ("real_B", b)], to: w.path("batches.safetensors"))
    let r = try CLI.run(
      [
        "bench", "train-step", "--blocks", "1", "--base-filters", "4", "--discriminator-filters", "4",
        "--repeats", "1", "--weights", "w.safetensors", "--input", "batches.safetensors",
        "--output", "trained.safetensors", "--json",
      ], in: w.root)
    #expect(r.status == 0, "\(r.stderr)")
    // One warm-up step and one timed step, as the library does them.
    for _ in 0..<2 { _ = model.trainingStep(realA: a, realB: b) }
    let trained = try SafeTensors.read(w.path("trained.safetensors")).tensors
    for (prefix, layer) in model.networks {
      for (name, expected) in layer.stateDict(prefix: prefix) {
        let t = try #require(trained[name], "\(name)")
        var difference: Float = 0
        for i in 0..<t.count { difference = max(difference, abs(t[flat: i] - expected[flat: i])) }
        #expect(difference < 1e-6, "\(name): \(difference)")
      }
    }
    let wrong = try CLI.run(["bench", "train-step", "--repeats", "1", "--input", "w.safetensors"], in: w.root)
    #expect(wrong.status != 0 && wrong.stderr.contains("w.safetensors"), "\(wrong.stderr)")
  }

  @Test func benchWithoutSubcommandReportsTheGeneratorAndEveryConvolution() throws {
    struct Row: Decodable {
      let layer: String
      let pass: String
      let gflops: Double
    }
    struct Combined: Decodable {
      let generator: Timing
      let convolutions: [Row]
    }
    let w = try Workspace()
    defer { w.remove() }
    let r = try CLI.run(
      ["bench", "--size", "16", "--base-filters", "4", "--blocks", "1", "--repeats", "1", "--json"],
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

  /// OpenBLAS falls back to SSE kernels on CPUs it does not recognise (virtual machines); the binary restarts
  /// itself once with the AVX2/AVX-512 kernels the CPU runs, and leaves a user's own OPENBLAS_CORETYPE alone.
  @Test func theBinaryRunsTheBestBLASKernelsTheCPUHasUnlessTheUserChose() throws {
    let w = try Workspace()
    defer { w.remove() }
    let architecture = GeneratorArchitecture.resnet(
      inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 1, norm: .instance, dropout: false, padding: .reflect)
    try w.savePlainGenerator("g.safetensors", architecture)
    try SafeTensors.write([("input", randomTensor([1, 3, 8, 8], seed: 5))], to: w.path("x.safetensors"))
    func kernels(_ environment: [String: String?]) throws -> String? {
      let r = try CLI.run(
        [
          "bench", "generator", "--weights", "g.safetensors", "--input", "x.safetensors", "--output", "y.safetensors",
          "--repeats", "1", "--json",
        ], in: w.root, environment: environment)
      #expect(r.status == 0, "\(r.stderr)")
      return try? JSONDecoder().decode(Timing.self, from: Data(r.stdout.utf8)).blas
    }
    let environment = ProcessInfo.processInfo.environment
    if (environment["OPENBLAS_CORETYPE"] ?? "").isEmpty {
      // This process loaded OpenBLAS without a choice too: the binary runs what it chose, or the better set.
      let expected = BLASKernels.betterCoreType(environment: environment) ?? BLASKernels.current
      let chosen = try kernels(["OPENBLAS_CORETYPE": .none])
      #expect(chosen?.lowercased() == expected.lowercased(), "\(String(describing: chosen)) \(BLASKernels.current)")
    }
    #if os(Linux)
    #expect(try kernels(["OPENBLAS_CORETYPE": "Prescott"]) == "Prescott")
    #endif
  }
}
