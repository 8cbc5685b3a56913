// `translate bench`: convolution and whole-network timings (library: Benchmarks).
// `bench convs` is the per-layer table against cblas_sgemm; `bench generator` and `bench train-step` time a
// whole generator forward pass and a CycleGAN training step, the measurements bench/compare-pytorch
// puts next to PyTorch's; `bench halo` measures tiled against untiled inference by halo (the evidence for the
// default halo); `bench statistics` times exact against fast tiled statistics; `bench allreduce` the gradient
// sums under mpirun. Without a subcommand: the generator forward pass (first, so that its peak memory is its
// own), then the table. Every timing prints as a TimingReport (TimingReport.swift).

import ArgumentParser
import Benchmarks
import Distributed
import Foundation
import NN
import Translation

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Benchmarks (run a release build): convolutions vs cblas_sgemm, generator forward, training step.",
    discussion: """
      Examples:
        translate bench
        translate bench convs --size 128 --threads 2
        translate bench generator --weights day-night.safetensors --prefix G_A
      """,
    subcommands: [
      All.self, Convolutions.self, Generator.self, TrainStep.self, Halo.self, Statistics.self, Allreduce.self,
    ],
    defaultSubcommand: All.self)
}

/// Options every benchmark shares.
struct BenchCommon: ParsableArguments {
  @OptionGroup var compute: ThreadsOption
  @Option(help: "Timed runs; the best and the median are reported.") var repeats = 3
  @Flag(help: "Print JSON instead of a table.") var json = false

  func validate() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
  }
}

/// The ResNet generator being measured.
struct BenchNetwork: ParsableArguments {
  @Option(help: "Image size (square); a multiple of 4.") var size = 256
  @Option(help: "Residual blocks of the generator.") var blocks = 9
  @Option(help: "Base filters of the generator (ngf).") var baseFilters = 64

  func validate() throws {
    guard size >= 8, size % 4 == 0 else {
      throw ValidationError("--size must be a multiple of 4 and at least 8, got \(size)")
    }
    guard blocks >= 0 else { throw ValidationError("--blocks must be at least 0, got \(blocks)") }
    guard baseFilters >= 1 else { throw ValidationError("--base-filters must be at least 1, got \(baseFilters)") }
  }

  var architecture: GeneratorArchitecture {
    .resnet(
      inChannels: 3, outChannels: 3, baseFilters: baseFilters, blocks: blocks, norm: .instance, dropout: false,
      padding: .reflect)
  }
}

extension Bench {
  struct All: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "all", abstract: "The whole generator forward pass, then the convolution table.")
    @OptionGroup var common: BenchCommon
    @OptionGroup var network: BenchNetwork

    func run() throws {
      common.compute.apply()
      let generator = try Generator.measure(network, common, weights: nil, input: nil, output: nil)
      if common.json {
        let table = try Convolutions.table(network, common)
        try Output.json(Combined(generator: generator, convolutions: table))
      } else {
        try generator.print(json: false)
        Output.line("")
        try Convolutions.table(network, common)
      }
    }

    struct Combined: Encodable {
      let generator: TimingReport
      let convolutions: [BenchResult]
    }
  }

  struct Convolutions: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "convs", abstract: "Time every distinct convolution of the ResNet generator against cblas_sgemm.")
    @OptionGroup var common: BenchCommon
    @OptionGroup var network: BenchNetwork
    @Option(
      help: ArgumentHelp(
        "Kernel paths our convolutions may not take, comma-separated: \(ConvolutionPath.excludable).",
        valueName: "paths"),
      transform: ConvolutionPath.parseList)
    var exclude: Set<ConvolutionPath> = []

    func run() throws {
      common.compute.apply()
      let results = try Self.table(network, common, excluding: exclude)
      if common.json { try Output.json(results) }
    }

    /// Prints the rows as they come unless `common.json`; returns them.
    @discardableResult
    static func table(_ network: BenchNetwork, _ common: BenchCommon, excluding: Set<ConvolutionPath> = [])
      throws -> [BenchResult]
    {
      let layers = BenchLayer.resnetGenerator(size: network.size, baseFilters: network.baseFilters)
      if !common.json {
        Output.line(
          "ResNet generator convolutions at \(network.size)², \(ComputeThreads.count) threads, best of \(common.repeats)"
            + (excluding.isEmpty ? "" : ", without \(excluding.map(\.rawValue).sorted().joined(separator: ", "))")
        )
        Output.line("layer     pass              ms   GFLOP/s   sgemm ms  sgemm GFLOP/s  ratio")
      }
      let results = ConvBenchmark.run(layers: layers, repeats: common.repeats, excluding: excluding) { r in
        guard !common.json else { return }
        Output.line(
          [
            pad(r.layer, 9), pad(r.pass.rawValue, 15), fmt(r.ms, 9, 2), fmt(r.gflops, 9, 1), fmt(r.gemmMs, 10, 2),
            fmt(r.gemmGflops, 14, 1), fmt(r.ratioToGemm, 6, 2),
          ].joined(separator: " "))
      }
      return results
    }
  }

  struct Generator: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "generator", abstract: "Time a whole ResNet generator forward pass (inference, no tape).")
    @OptionGroup var common: BenchCommon
    @OptionGroup var network: BenchNetwork
    @Option(help: "Weights to load (safetensors, junyanz names); the architecture is detected from them.")
    var weights: String?
    @Option(help: "Prefix of the generator's tensors in --weights (G_A for a translate model or checkpoint).")
    var prefix = ""
    @Option(help: "Input tensor (safetensors with one tensor \"input\", N×3×H×W) instead of seeded noise.")
    var input: String?
    @Option(help: "Write the output tensor here (safetensors, tensor \"output\").") var output: String?

    func run() throws {
      common.compute.apply()
      try Self.measure(network, common, weights: weights.map { ($0, prefix) }, input: input, output: output)
        .print(json: common.json)
    }

    static func measure(
      _ network: BenchNetwork, _ common: BenchCommon, weights: (path: String, prefix: String)?,
      input: String?, output: String?
    ) throws -> TimingReport {
      var architecture = network.architecture
      var tensors: [String: Tensor] = [:]
      if let weights {
        tensors = try SafeTensors.read(weights.path).tensors
        let shapes = tensors.mapValues(\.shape)
        architecture = try GeneratorArchitecture.detect(shapes, prefix: weights.prefix, source: weights.path)
      }
      guard case .resnet(_, _, let baseFilters, let blocks, _, _, _, _) = architecture else {
        throw ValidationError(
          "bench generator measures ResNet generators; \(weights?.path ?? "") holds \(architecture.summary)")
      }
      let generator = architecture.build()
      if let weights {
        try generator.load(tensors, prefix: weights.prefix, source: weights.path)
      } else {
        var rng = SeededGenerator(seed: 1)
        initializeWeights(generator, .normal, gain: 0.02, using: &rng)
      }
      var x: Tensor
      if let input {
        x = try SafeTensors.read(input).tensor("input")
        guard x.rank == 4, x.shape[1] == architecture.inChannels, x.shape[2] % 4 == 0, x.shape[3] % 4 == 0 else {
          throw ValidationError(
            "\(input): \"input\" must be N×\(architecture.inChannels)×H×W with H, W multiples of 4, got \(x.shape)")
        }
      } else {
        var rng = SeededGenerator(seed: 2)
        x = Tensor.uniform([1, architecture.inChannels, network.size, network.size], low: -1, high: 1, using: &rng)
      }
      let (seconds, y) = NetworkBenchmark.timeForward(generator, input: x, repeats: common.repeats)
      if let output {
        try SafeTensors.write([("output", y)], metadata: ["format": "translate-bench-output"], to: output)
      }
      // Every layer's work is proportional to the pixel count: scale the square count of height² to height × width.
      let (height, width) = (x.shape[2], x.shape[3])
      let macs =
        x.shape[0] * NetworkBenchmark.resnetMultiplyAdds(size: height, baseFilters: baseFilters, blocks: blocks)
        * width / height
      return TimingReport(
        name: "generator-forward", detail: "resnet \(blocks) blocks ngf \(baseFilters) at \(x.shape[2])×\(x.shape[3])",
        threads: ComputeThreads.count, seconds: seconds, flops: 2 * Double(macs))
    }
  }

  struct TrainStep: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "train-step", abstract: "Time full CycleGAN training steps (both generators and discriminators).")
    @OptionGroup var common: BenchCommon
    @OptionGroup var network: BenchNetwork
    @Option(help: "Base filters of the PatchGAN discriminators (ndf).") var discriminatorFilters = 64
    @Option(help: "Weights of the four networks (a checkpoint or safetensors with G_A, G_B, D_A, D_B prefixes).")
    var weights: String?
    @Option(help: "Input batches (safetensors with \"real_A\" and \"real_B\", N×3×H×W) instead of seeded noise.")
    var input: String?
    @Option(help: "Write the four networks' weights after the last step here (G_A, G_B, D_A, D_B prefixes).")
    var output: String?

    func validate() throws {
      // The 70×70 PatchGAN: three stride-2 4×4 convolutions, then two 4×4 with padding 1.
      guard network.size >= 24 else {
        throw ValidationError("--size must be at least 24 for the PatchGAN discriminators, got \(network.size)")
      }
    }

    func run() throws {
      common.compute.apply()
      var configuration = CycleGANConfiguration()
      configuration.generator = network.architecture
      configuration.discriminatorFilters = discriminatorFilters
      var model = CycleGAN(configuration)
      if let weights {
        let tensors = try SafeTensors.read(weights).tensors
        for (prefix, layer) in model.networks { try layer.load(tensors, prefix: prefix, source: weights) }
      }
      var batches: (realA: Tensor, realB: Tensor)?
      if let input {
        let file = try SafeTensors.read(input)
        let (a, b) = (try file.tensor("real_A"), try file.tensor("real_B"))
        guard a.rank == 4, a.shape == b.shape, a.shape[1] == 3, a.shape[2] >= 24, a.shape[2] % 4 == 0,
          a.shape[3] % 4 == 0
        else {
          throw ValidationError(
            "\(input): real_A and real_B must both be N×3×H×W with H, W multiples of 4 and at least 24, got \(a.shape), \(b.shape)"
          )
        }
        batches = (a, b)
      }
      let seconds = NetworkBenchmark.timeTrainingSteps(
        &model, size: network.size, steps: common.repeats, batches: batches)
      if let output {
        try SafeTensors.write(
          model.networks.flatMap { $0.layer.stateDict(prefix: $0.prefix) },
          metadata: ["format": "translate-bench-output"], to: output)
      }
      let report = TimingReport(
        name: "train-step",
        detail:
          "cyclegan resnet \(network.blocks) blocks ngf \(network.baseFilters), ndf \(discriminatorFilters) at \(network.size)²",
        threads: ComputeThreads.count, seconds: seconds, flops: nil)
      try report.print(json: common.json)
    }
  }

  struct Allreduce: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "allreduce",
      abstract: "Under mpirun: time the gradient sum of each CycleGAN optimizer (one flat buffer per optimizer).",
      discussion: """
        Examples:
          translate bench allreduce --repeats 20
          translate bench allreduce --blocks 6 --base-filters 16 --discriminator-filters 32
        """)
    @OptionGroup var common: BenchCommon
    @OptionGroup var network: BenchNetwork
    @Option(help: "Base filters of the PatchGAN discriminators (ndf).") var discriminatorFilters = 64

    func run() throws {
      let ranks = try Launcher(environment: ProcessInfo.processInfo.environment).communicator()
      var configuration = CycleGANConfiguration()
      configuration.generator = network.architecture
      configuration.discriminatorFilters = discriminatorFilters
      let timings = try AllreduceBenchmark.time(CycleGAN(configuration), over: ranks, repeats: common.repeats)
      ranks.finish()
      guard ranks.isRoot else { return }
      for t in timings {
        let report = TimingReport(
          name: "allreduce \(t.optimizer)",
          detail:
            "\(t.floats) floats = \(String(format: "%.1f", Double(t.floats * 4) / 1e6)) MB, \(ranks.size) ranks, "
            + "resnet \(network.blocks) blocks ngf \(network.baseFilters), ndf \(discriminatorFilters)",
          threads: ComputeThreads.count, seconds: t.seconds, flops: nil)
        try report.print(json: common.json)
      }
    }
  }

  struct Halo: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "halo",
      abstract: "Tiled against untiled inference by halo, for random-weight ResNets (not a timing).")
    @OptionGroup var compute: ThreadsOption
    @Option(help: "Tile core size in pixels.") var tile = 128
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
      compute.apply()
      if !json { Output.line("network          output std  tile  halo  max difference (of 255)") }
      let rows = HaloBenchmark.run(tile: tile) { r in
        guard !json else { return }
        Output.line(
          [
            pad(r.network, 16), fmt(r.outputDeviation, 11, 1), fmt(Double(r.tile), 5, 0), fmt(Double(r.halo), 5, 0),
            fmt(Double(r.maxDifference), 9, 0),
          ].joined(separator: " "))
      }
      if json { try Output.json(rows) }
    }
  }
}

extension Bench {
  struct Statistics: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "statistics",
      abstract: "Tiled inference with exact (tile by tile) and fast (downscaled) InstanceNorm statistics vs untiled.")
    @OptionGroup var compute: ThreadsOption
    @Option(help: "A model file (default: a ResNet-9 ngf64 with random N(0, 0.02²) weights).") var model: String?
    @Option(help: "With --model: which generator.") var direction: Direction = .aToB
    @Option var width = 4000
    @Option var height = 3000
    @Option(help: "The memory bound of the tiled runs.") var maxMemory = ByteCount.defaultBudget
    @Flag(help: "Skip the untiled run (differences are then to the exact tiled output).") var noUntiled = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
      compute.apply()
      let (generator, architecture) = try network()
      if !json { Output.line("method   seconds  mean diff  p99  max  plan") }
      let rows = StatisticsBenchmark.run(
        generator: generator, architecture: architecture, width: width, height: height, budget: maxMemory,
        untiled: !noUntiled
      ) { r in
        guard !json else { return }
        Output.line(
          [
            pad(r.method, 7), fmt(r.seconds, 8, 1), fmt(r.meanDifference, 10, 2), fmt(Double(r.p99Difference), 4, 0),
            fmt(Double(r.maxDifference), 4, 0), " " + r.plan,
          ].joined(separator: " "))
      }
      if json { try Output.json(rows) }
    }

    private func network() throws -> (any Layer, GeneratorArchitecture) {
      if let model {
        let loaded = try TranslationModel.load(model)
        return (try loaded.generator(direction), loaded.architecture)
      }
      let architecture = GeneratorArchitecture.preset(.resnet9)
      let generator = architecture.build(seed: 3)
      var rng = SeededGenerator(seed: 3)
      initializeWeights(generator, .normal, gain: 0.02, using: &rng)
      return (generator, architecture)
    }
  }
}

/// Left-aligned in `n` columns (bench tables).
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
/// `v` with `decimals` decimals, right-aligned in `width` columns (bench tables).
func fmt(_ v: Double, _ width: Int, _ decimals: Int) -> String {
  let s = String(format: "%.\(decimals)f", v)
  return String(repeating: " ", count: max(0, width - s.count)) + s
}

extension ConvolutionPath {
  /// The paths `--exclude` accepts (im2col + GEMM is the fallback of every other).
  static var excludable: String { allCases.filter { $0 != .columns }.map(\.rawValue).joined(separator: ", ") }

  /// "small,direct" → [.small, .direct].
  static func parseList(_ text: String) throws -> Set<ConvolutionPath> {
    Set(
      try text.split(separator: ",").map { name in
        guard let path = ConvolutionPath(rawValue: String(name)), path != .columns else {
          throw ValidationError("--exclude: unknown path \"\(name)\" (one of \(excludable))")
        }
        return path
      })
  }
}
