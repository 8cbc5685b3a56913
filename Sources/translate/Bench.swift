// `translate bench`: the convolution benchmark table (library: Translation/ConvBenchmark.swift).

import ArgumentParser
import Foundation
import Translation

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time every distinct convolution of the ResNet-9 generator against cblas_sgemm (release build).")

  @Option(help: "Image size (square); a multiple of 4.") var size = 256
  @Option(help: "Compute threads (default: all cores).") var threads: Int?
  @Option(help: "Timed runs per measurement; the best is reported.") var repeats = 3
  @Option(help: "Base filters of the generator (ngf).") var baseFilters = 64
  @Flag(help: "Print JSON: one object per layer and pass.") var json = false

  func validate() throws {
    guard size >= 8, size % 4 == 0 else { throw ValidationError("--size must be a multiple of 4 and at least 8, got \(size)") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    guard baseFilters >= 1 else { throw ValidationError("--base-filters must be at least 1") }
  }

  func run() throws {
    ComputeThreads.set(threads)
    let layers = BenchLayer.resnetGenerator(size: size, baseFilters: baseFilters)
    if !json {
      print("ResNet-9 generator convolutions at \(size)², \(ComputeThreads.count) threads, best of \(repeats)")
      print("layer     pass              ms   GFLOP/s   sgemm ms  sgemm GFLOP/s  ratio")
    }
    let results = ConvBenchmark.run(layers: layers, repeats: repeats) { r in
      guard !json else { return }
      print(pad(r.layer, 9), pad(r.pass.rawValue, 15), fmt(r.ms, 9, 2), fmt(r.gflops, 9, 1), fmt(r.gemmMs, 10, 2),
            fmt(r.gemmGflops, 14, 1), fmt(r.ratioToGemm, 6, 2))
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(results), as: UTF8.self))
    }
  }

  private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
  private func fmt(_ v: Double, _ width: Int, _ decimals: Int) -> String {
    let s = String(format: "%.\(decimals)f", v)
    return String(repeating: " ", count: max(0, width - s.count)) + s
  }
}
