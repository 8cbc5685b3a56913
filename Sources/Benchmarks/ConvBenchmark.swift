// The convolution benchmark behind `translate bench`: every distinct convolution of junyanz's ResNet-9
// generator (ngf 64) at a given size, in its three passes, next to cblas_sgemm on the equivalent GEMM.

import Autograd

/// One convolution layer of the generator, as it runs inside the network (padding layers folded into the
/// input size: reflection-padded inputs are benchmarked as their padded shape with conv padding 0).
public struct BenchLayer: Sendable {
  public enum Kind: String, Sendable, Codable { case conv, transposed }
  public let name: String
  public let kind: Kind
  /// Input (C, H, W) of the convolution; weight (K, C, k, k) or, transposed, (C, K, k, k).
  public let inChannels: Int, height: Int, width: Int, outChannels: Int
  public let options: ConvOptions
  public let kernel: Int

  /// The seven distinct convolutions of ResnetGenerator(ngf=64) on a size×size RGB image
  /// (junyanz networks.py: c7s1-64, d128, d256, R256, u128, u64, c7s1-3).
  public static func resnetGenerator(
    size s: Int, baseFilters f: Int = 64, inChannels: Int = 3,
    outChannels: Int = 3
  ) -> [BenchLayer] {
    [
      BenchLayer(
        name: "c7s1-\(f)", kind: .conv, inChannels: inChannels, height: s + 6, width: s + 6, outChannels: f,
        options: ConvOptions(), kernel: 7),
      BenchLayer(
        name: "d\(2 * f)", kind: .conv, inChannels: f, height: s, width: s, outChannels: 2 * f,
        options: ConvOptions(stride: 2, padding: 1), kernel: 3),
      BenchLayer(
        name: "d\(4 * f)", kind: .conv, inChannels: 2 * f, height: s / 2, width: s / 2, outChannels: 4 * f,
        options: ConvOptions(stride: 2, padding: 1), kernel: 3),
      BenchLayer(
        name: "R\(4 * f)", kind: .conv, inChannels: 4 * f, height: s / 4 + 2, width: s / 4 + 2,
        outChannels: 4 * f, options: ConvOptions(), kernel: 3),
      BenchLayer(
        name: "u\(2 * f)", kind: .transposed, inChannels: 4 * f, height: s / 4, width: s / 4,
        outChannels: 2 * f, options: ConvOptions(stride: 2, padding: 1, outputPadding: 1), kernel: 3),
      BenchLayer(
        name: "u\(f)", kind: .transposed, inChannels: 2 * f, height: s / 2, width: s / 2, outChannels: f,
        options: ConvOptions(stride: 2, padding: 1, outputPadding: 1), kernel: 3),
      BenchLayer(
        name: "c7s1-\(outChannels)", kind: .conv, inChannels: f, height: s + 6, width: s + 6,
        outChannels: outChannels,
        options: ConvOptions(), kernel: 7),
    ]
  }

  var weightShape: [Int] {
    kind == .conv ? [outChannels, inChannels, kernel, kernel] : [inChannels, outChannels, kernel, kernel]
  }

  /// Output (OH, OW).
  var outputSize: (Int, Int) {
    let o = options
    switch kind {
    case .conv:
      let span = o.dilation * (kernel - 1) + 1
      return ((height + 2 * o.padding - span) / o.stride + 1, (width + 2 * o.padding - span) / o.stride + 1)
    case .transposed:
      let extent = { (n: Int) in (n - 1) * o.stride - 2 * o.padding + o.dilation * (kernel - 1) + o.outputPadding + 1 }
      return (extent(height), extent(width))
    }
  }

  /// Useful multiply-adds: per output pixel for convolutions, per *input* pixel for transposed ones.
  public var multiplyAdds: Int {
    let (oh, ow) = outputSize
    let pixels = kind == .conv ? oh * ow : height * width
    return inChannels * outChannels * kernel * kernel * pixels
  }

  /// The GEMM (transA, transB, m, n, k) each pass reduces to (Caffe's formulation).
  func equivalentGEMM(_ pass: BenchPass) -> (transA: Bool, transB: Bool, m: Int, n: Int, k: Int) {
    let (oh, ow) = outputSize
    // For a transposed convolution, the "image" is its output and the columns are its input pixels.
    let (image, pixels, rows) =
      kind == .conv
      ? (inChannels, oh * ow, outChannels) : (outChannels, height * width, inChannels)
    let columnRows = image * kernel * kernel
    switch (kind, pass) {
    case (.conv, .forward), (.transposed, .backwardData): return (false, false, rows, pixels, columnRows)
    case (.conv, .backwardData), (.transposed, .forward): return (true, false, columnRows, pixels, rows)
    case (_, .backwardWeight): return (false, true, rows, columnRows, pixels)
    }
  }
}

public enum BenchPass: String, Sendable, Codable, CaseIterable {
  case forward
  /// Gradient with respect to the input.
  case backwardData = "backward-data"
  /// Gradient with respect to the weights.
  case backwardWeight = "backward-weight"
}

/// One row of the benchmark table.
public struct BenchResult: Sendable, Codable {
  public let layer: String
  public let pass: BenchPass
  public let ms: Double
  public let gflops: Double
  public let gemmMs: Double
  public let gemmGflops: Double
  /// GEMM time / convolution time: the share of BLAS throughput the convolution reaches.
  public let ratioToGemm: Double

  enum CodingKeys: String, CodingKey {
    case layer, pass, ms, gflops
    case gemmMs = "gemm_ms"
    case gemmGflops = "gemm_gflops"
    case ratioToGemm = "ratio_to_gemm"
  }
}

public enum ConvBenchmark {
  /// Times every layer and pass: the best of `repeats` runs after one warm-up, for the convolution and for
  /// cblas_sgemm on its equivalent GEMM. All of ours first, then all the GEMMs: after a multi-threaded OpenBLAS
  /// call its workers spin for a while, and would slow whatever is timed next.
  /// `excluding`: kernel paths our convolutions may not take (see `ConvolutionRouting`).
  public static func run(
    layers: [BenchLayer], repeats: Int, excluding: Set<ConvolutionPath> = [],
    progress: (BenchResult) -> Void = { _ in }
  ) -> [BenchResult] {
    let ours = ConvolutionRouting.$excluded.withValue(excluding) { timeOurs(layers, repeats: repeats) }
    return ours.map { layer, pass, seconds in
      let gemmSeconds = timeGEMM(layer.equivalentGEMM(pass), repeats: repeats)
      let flops = 2 * Double(layer.multiplyAdds)
      let r = BenchResult(
        layer: layer.name, pass: pass, ms: seconds * 1e3, gflops: flops / seconds / 1e9,
        gemmMs: gemmSeconds * 1e3, gemmGflops: flops / gemmSeconds / 1e9,
        ratioToGemm: gemmSeconds / seconds)
      progress(r)
      return r
    }
  }

  /// Best seconds of each layer and pass through our convolutions.
  static func timeOurs(_ layers: [BenchLayer], repeats: Int) -> [(layer: BenchLayer, pass: BenchPass, seconds: Double)]
  {
    var ours: [(layer: BenchLayer, pass: BenchPass, seconds: Double)] = []
    for layer in layers {
      var rng = SeededGenerator(seed: 1)
      let x = Tensor.uniform([1, layer.inChannels, layer.height, layer.width], low: -1, high: 1, using: &rng)
      let w = Tensor.normal(layer.weightShape, std: 0.02, using: &rng)
      let b = Tensor(zeros: [layer.outChannels])
      let y =
        layer.kind == .conv
        ? conv2d(x, weight: w, bias: b, layer.options) : convTranspose2d(x, weight: w, bias: b, layer.options)
      let dy = Tensor.uniform(y.shape, low: -1, high: 1, using: &rng)
      for pass in BenchPass.allCases {
        let seconds = bestTime(repeats) {
          switch (layer.kind, pass) {
          case (.conv, .forward): _ = conv2d(x, weight: w, bias: b, layer.options)
          case (.transposed, .forward): _ = convTranspose2d(x, weight: w, bias: b, layer.options)
          case (.conv, _):
            _ = conv2dGradients(
              dy, x: x, weight: w, layer.options,
              GradientRequest(input: pass == .backwardData, weight: pass == .backwardWeight, bias: false))
          case (.transposed, _):
            _ = convTranspose2dGradients(
              dy, x: x, weight: w, layer.options,
              GradientRequest(input: pass == .backwardData, weight: pass == .backwardWeight, bias: false))
          }
        }
        ours.append((layer, pass, seconds))
      }
    }
    return ours
  }

  static func timeGEMM(_ s: (transA: Bool, transB: Bool, m: Int, n: Int, k: Int), repeats: Int) -> Double {
    var rng = SeededGenerator(seed: 2)
    let a = Tensor.uniform([s.m * s.k], using: &rng)
    let b = Tensor.uniform([s.k * s.n], using: &rng)
    var c = Tensor(zeros: [s.m * s.n])
    return c.withUnsafeMutableBufferPointer { cb in
      bestTime(repeats) {
        referenceGEMM(
          threads: ComputeThreads.count, transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k,
          a.pointer, lda: s.transA ? s.m : s.k, b.pointer, ldb: s.transB ? s.k : s.n, cb.baseAddress!, ldc: s.n)
      }
    }
  }

  /// Seconds of the fastest of `repeats` runs after one warm-up run.
  static func bestTime(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    return (0..<max(repeats, 1)).map { _ in NetworkBenchmark.measure(body) }.min() ?? .infinity
  }
}
