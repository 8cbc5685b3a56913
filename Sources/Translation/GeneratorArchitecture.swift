// A generator's architecture as data: built into a network, written to and read from model metadata, and
// detected from a plain PyTorch state_dict's keys and shapes (junyanz's names); either way checked against
// limits before anything is built.

/// Everything needed to rebuild a junyanz generator (or our grid-free variant of the ResNet one).
public enum GeneratorArchitecture: Equatable, Sendable {
  case resnet(
    inChannels: Int, outChannels: Int, baseFilters: Int, blocks: Int, norm: NormKind, dropout: Bool,
    padding: PaddingModeName, upsampling: Upsampling = .transposed)
  case unet(inChannels: Int, outChannels: Int, baseFilters: Int, downsamplings: Int, norm: NormKind, dropout: Bool)

  /// PaddingMode spelled as junyanz's --padding_type values, for metadata.
  public enum PaddingModeName: String, Sendable, Codable {
    case reflect, replicate, zero
    var mode: PaddingMode {
      switch self {
      case .reflect: .reflect
      case .replicate: .replicate
      case .zero: .zero
      }
    }
  }

  /// The junyanz preset for a --netG name.
  public static func preset(
    _ kind: GeneratorKind, inChannels: Int = 3, outChannels: Int = 3, baseFilters: Int = 64,
    norm: NormKind = .instance, dropout: Bool = false
  ) -> GeneratorArchitecture {
    switch kind {
    case .resnet9, .resnet6:
      .resnet(
        inChannels: inChannels, outChannels: outChannels, baseFilters: baseFilters,
        blocks: kind == .resnet9 ? 9 : 6, norm: norm, dropout: dropout, padding: .reflect)
    case .unet128, .unet256:
      .unet(
        inChannels: inChannels, outChannels: outChannels, baseFilters: baseFilters,
        downsamplings: kind == .unet128 ? 7 : 8, norm: norm, dropout: dropout)
    }
  }

  public func build(seed: UInt64 = 0) -> any Layer {
    switch self {
    case .resnet(let i, let o, let f, let blocks, let norm, let dropout, let padding, let upsampling):
      ResnetGenerator(
        inChannels: i, outChannels: o, baseFilters: f, blocks: blocks, norm: norm, dropout: dropout,
        padding: padding.mode, upsampling: upsampling, seed: seed)
    case .unet(let i, let o, let f, let downs, let norm, let dropout):
      UnetGenerator(
        inChannels: i, outChannels: o, downsamplings: downs, baseFilters: f, norm: norm, dropout: dropout, seed: seed)
    }
  }

  public var inChannels: Int {
    switch self {
    case .resnet(let i, _, _, _, _, _, _, _), .unet(let i, _, _, _, _, _): i
    }
  }
  public var outChannels: Int {
    switch self {
    case .resnet(_, let o, _, _, _, _, _, _), .unet(_, let o, _, _, _, _): o
    }
  }
  /// Input sizes must be multiples of this (ResNet: two stride-2 steps; U-Net: one per level).
  public var sizeMultiple: Int {
    switch self {
    case .resnet: 4
    case .unet(_, _, _, let downs, _, _): 1 << downs
    }
  }

  /// A short human description: "resnet 9 blocks, 64 filters, instance norm".
  public var summary: String {
    switch self {
    case .resnet(let i, let o, let f, let b, let norm, let dropout, _, let upsampling):
      "resnet \(b) blocks, \(f) filters, \(norm.rawValue) norm\(dropout ? ", dropout" : "")"
        + "\(upsampling.summarySuffix), \(i)→\(o) channels"
    case .unet(let i, let o, let f, let d, let norm, _):
      "unet \(d) levels, \(f) filters, \(norm.rawValue) norm, \(i)→\(o) channels"
    }
  }
}

public enum ArchitectureDetectionError: Error, CustomStringConvertible, Equatable {
  /// The keys are those of no junyanz generator.
  case notAGenerator(source: String, reason: String)
  /// A size is outside `GeneratorArchitecture.Limits` (a corrupt or hostile file, not a real generator).
  case outOfLimits(source: String, reason: String)
  public var description: String {
    switch self {
    case .notAGenerator(let source, _), .outOfLimits(let source, _): "\(source): \(reason)"
    }
  }
  /// What is wrong, without the source (for callers that wrap the error under their own file name).
  public var reason: String {
    switch self {
    case .notAGenerator(_, let reason): "not a CycleGAN generator: \(reason)"
    case .outOfLimits(_, let reason): "generator architecture out of range: \(reason)"
    }
  }
}

extension GeneratorArchitecture {
  /// What a model file may ask us to build: generous (junyanz uses 64 filters, 9 blocks, 8 levels) but bounded,
  /// so that a corrupt header cannot ask for terabytes of weights, a 2^40 size multiple or negative channels.
  public enum Limits {
    public static let channels = 1...64
    public static let baseFilters = 1...1024
    public static let blocks = 0...64
    /// UnetGenerator needs 5; 10 levels already ask for inputs that are multiples of 1024.
    public static let downsamplings = 5...10
  }

  /// Throws `.outOfLimits` naming the first size outside `Limits`; `source` names the file.
  public func checkLimits(source: String) throws(ArchitectureDetectionError) {
    func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws(ArchitectureDetectionError) {
      guard range.contains(value) else {
        throw .outOfLimits(
          source: source, reason: "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)")
      }
    }
    try check("input channels", inChannels, Limits.channels)
    try check("output channels", outChannels, Limits.channels)
    switch self {
    case .resnet(let i, let o, let f, let blocks, _, _, _, let upsampling):
      try check("base filters", f, Limits.baseFilters)
      try check("residual blocks", blocks, Limits.blocks)
      guard upsampling != .colourTransform || (i == 3 && o == 3) else {
        throw .outOfLimits(
          source: source, reason: "a colour transform maps 3 channels to 3, not \(i) to \(o)")
      }
    case .unet(_, _, let f, let downs, _, _):
      try check("base filters", f, Limits.baseFilters)
      try check("U-Net downsamplings", downs, Limits.downsamplings)
    }
  }

  /// The number of convolution weights of the network (biases and norms aside), within `Limits`: a lower bound
  /// on the values a file holding it stores, so that a header cannot ask for a network much larger than its file.
  /// ResNet: 7×7 in→f and f→out, 3×3 f→2f→4f down and back up, two 3×3 4f→4f per block (the colour transform:
  /// no way up and no f→out, a 3×3 4f→12 instead). U-Net (4×4 kernels): per
  /// level one down and one up convolution, the up one taking the skip-concatenated 2× channels.
  public var convolutionWeightCount: Int {
    switch self {
    // Transposed and resize-convolutions have 3×3 kernels 4f→2f→f: the same count.
    case .resnet(let i, _, let f, let blocks, _, _, _, .colourTransform):
      49 * f * i + (90 + 288 * blocks) * f * f + 9 * 4 * f * localColourTransformCoefficients
    case .resnet(let i, let o, let f, let blocks, _, _, _, _): 49 * f * (i + o) + (180 + 288 * blocks) * f * f
    case .unet(let i, let o, let f, let downs, _, _): 16 * f * (i + 2 * o) + 16 * (254 + 192 * (downs - 5)) * f * f
    }
  }

  /// True when `other` builds a network with the same tensor sizes (kind, channels, filters, depth); norm,
  /// dropout and padding only change names, which loading checks.
  func hasSameSizes(as other: GeneratorArchitecture) -> Bool {
    switch (self, other) {
    case (.resnet(let i, let o, let f, let b, _, _, _, let u), .resnet(let i2, let o2, let f2, let b2, _, _, _, let u2)):
      (i, o, f, b) == (i2, o2, f2, b2) && (u == .colourTransform) == (u2 == .colourTransform)
    case (.unet(let i, let o, let f, let d, _, _), .unet(let i2, let o2, let f2, let d2, _, _)):
      (i, o, f, d) == (i2, o2, f2, d2)
    default: false
    }
  }
}

extension GeneratorArchitecture {
  /// Reads the architecture from state_dict shapes (`name → shape`) under `prefix` ("" or e.g. "G_A"):
  /// base filters from the first conv, block count and dropout layout from the `conv_block` indices, norm kind
  /// from norm weights and conv biases, U-Net depth from the number of 4×4 convolutions; checked against `Limits`
  /// and against the number of values the tensors hold.
  public static func detect(_ shapes: [String: [Int]], prefix: String = "", source: String)
    throws(ArchitectureDetectionError) -> GeneratorArchitecture
  {
    let scope = prefix.isEmpty ? "" : prefix + "."
    var keys: [String: [Int]] = [:]
    for (k, v) in shapes where k.hasPrefix(scope) { keys[String(k.dropFirst(scope.count))] = v }
    let architecture: GeneratorArchitecture
    if let first = keys["model.1.weight"], first.count == 4, first[2] == 7 {
      architecture = try resnet(keys, first, source)
    } else if let first = keys["model.model.0.weight"], first.count == 4, first[2] == 4 {
      architecture = try unet(keys, first, source)
    } else {
      throw .notAGenerator(
        source: source,
        reason: "no 'model.1.weight' (ResNet) or 'model.model.0.weight' (U-Net) 4-D tensor"
          + (prefix.isEmpty ? "" : " under '\(prefix).'"))
    }
    try architecture.checkLimits(source: source)
    // Zero-sized tensors cost no bytes: the shapes alone could describe a network of any size. Building one
    // may cost at most twice the values the tensors hold (a wrong shape here and there is left to loading,
    // which names it).
    let stored = keys.values.reduce(0) { min($0 + valueCount($1), Int.max / 2) }
    guard 2 * stored >= architecture.convolutionWeightCount else {
      throw .outOfLimits(
        source: source,
        reason: "the tensors hold \(stored) values, less than half the "
          + "\(architecture.convolutionWeightCount) convolution weights of \(architecture.summary)")
    }
    return architecture
  }

  private static func resnet(_ keys: [String: [Int]], _ first: [Int], _ source: String)
    throws(ArchitectureDetectionError) -> GeneratorArchitecture
  {
    let blockIndices = Set(
      keys.keys.compactMap { k -> Int? in
        let parts = k.split(separator: ".")
        return parts.count > 2 && parts[0] == "model" && parts[2] == "conv_block" ? Int(parts[1]) : nil
      })
    let blocks = blockIndices.count
    guard blocks == 0 || blockIndices == Set(10..<(10 + blocks)) else {
      throw .notAGenerator(
        source: source, reason: "residual blocks at model.\(blockIndices.sorted()), expected model.10…")
    }
    let norm: NormKind = keys["model.2.weight"] != nil ? .batch : (keys["model.1.bias"] != nil ? .instance : .none)
    // Zero padding puts the first conv at conv_block.0; dropout shifts the second conv by one.
    let sample = "model.10.conv_block."
    let padding: PaddingModeName = keys[sample + "0.weight"] != nil ? .zero : .reflect
    let secondConv = padding == .zero ? (3, 4) : (5, 6)
    let dropout =
      blocks > 0 && keys[sample + "\(secondConv.1).weight"] != nil
      && keys[sample + "\(secondConv.0).weight"] == nil
    // Transposed upsampling: [ConvTranspose, norm, ReLU] ×2 from model.(10 + blocks); resize-convolution:
    // [Upsample, Conv, norm, ReLU] ×2, so its first weight is one index later and the output conv two. Weights
    // cannot tell nearest from bilinear resizing: a plain state_dict reads as nearest (our files say which).
    // Colour transform: [Pad, Conv 4f→12] at model.(10 + blocks) and nothing after.
    let head = keys["model.\(11 + blocks).weight"]
    if keys["model.\(10 + blocks).weight"] == nil, let head, head.count == 4,
      head[0] == localColourTransformCoefficients, !keys.keys.contains(where: { $0.hasPrefix("model.\(12 + blocks).") })
    {
      guard first[1] == 3 else {
        throw .notAGenerator(source: source, reason: "a colour-transform head on \(first[1]) input channels")
      }
      return .resnet(
        inChannels: 3, outChannels: 3, baseFilters: first[0], blocks: blocks, norm: norm, dropout: dropout,
        padding: padding, upsampling: .colourTransform)
    }
    let upsampling: Upsampling =
      keys["model.\(10 + blocks).weight"] == nil && head != nil ? .resizeConvolution : .transposed
    let last = "model.\(17 + blocks + (upsampling == .transposed ? 0 : 2)).weight"
    guard let output = keys[last], output.count == 4 else {
      throw .notAGenerator(source: source, reason: "no final convolution '\(last)' for \(blocks) blocks")
    }
    return .resnet(
      inChannels: first[1], outChannels: output[0], baseFilters: first[0], blocks: blocks, norm: norm,
      dropout: dropout, padding: padding, upsampling: upsampling)
  }

  private static func unet(_ keys: [String: [Int]], _ first: [Int], _ source: String) throws(ArchitectureDetectionError)
    -> GeneratorArchitecture
  {
    let fourByFour = keys.filter { $0.key.hasSuffix(".weight") && $0.value.count == 4 && $0.value[2] == 4 }.count
    guard fourByFour >= 10, fourByFour % 2 == 0, let up = keys["model.model.3.weight"], up.count == 4 else {
      throw .notAGenerator(source: source, reason: "U-Net keys without a matching down/up convolution per level")
    }
    // Batch norm has 1-D weights; instance norm (affine false) has none but gives the convolutions a bias.
    let norm: NormKind =
      keys.contains { $0.key.hasSuffix(".weight") && $0.value.count == 1 }
      ? .batch
      : (keys["model.model.1.model.1.bias"] != nil ? .instance : .none)
    return .unet(
      inChannels: first[1], outChannels: up[1], baseFilters: first[0], downsamplings: fourByFour / 2,
      norm: norm, dropout: false)
  }
}

/// Elements of a tensor of `shape`, saturating rather than overflowing (any caller's shapes).
func valueCount(_ shape: [Int]) -> Int {
  shape.reduce(1) { count, d in
    let (product, overflow) = count.multipliedReportingOverflow(by: max(d, 0))
    return overflow ? Int.max / 2 : min(product, Int.max / 2)
  }
}

extension GeneratorArchitecture: Codable {
  private enum Kind: String, CodingKey { case resnet, unet }
  private enum Field: String, CodingKey {
    case inChannels, outChannels, baseFilters, blocks, downsamplings, norm, dropout, padding, upsampling
  }

  /// {"resnet": {…}} or {"unet": {…}}, as the synthesized form; `upsampling` absent means transposed (files
  /// written before it existed, and junyanz's layout, which keeps their exact form).
  public init(from decoder: any Decoder) throws {
    let root = try decoder.container(keyedBy: Kind.self)
    guard root.allKeys.count == 1, let kind = root.allKeys.first else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "one of resnet, unet"))
    }
    let f = try root.nestedContainer(keyedBy: Field.self, forKey: kind)
    let (i, o) = (try f.decode(Int.self, forKey: .inChannels), try f.decode(Int.self, forKey: .outChannels))
    let (filters, norm) = (try f.decode(Int.self, forKey: .baseFilters), try f.decode(NormKind.self, forKey: .norm))
    let dropout = try f.decode(Bool.self, forKey: .dropout)
    switch kind {
    case .resnet:
      self = .resnet(
        inChannels: i, outChannels: o, baseFilters: filters, blocks: try f.decode(Int.self, forKey: .blocks),
        norm: norm, dropout: dropout, padding: try f.decode(PaddingModeName.self, forKey: .padding),
        upsampling: try f.decodeIfPresent(Upsampling.self, forKey: .upsampling) ?? .transposed)
    case .unet:
      self = .unet(
        inChannels: i, outChannels: o, baseFilters: filters,
        downsamplings: try f.decode(Int.self, forKey: .downsamplings), norm: norm, dropout: dropout)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var root = encoder.container(keyedBy: Kind.self)
    let (kind, filters, norm, dropout): (Kind, Int, NormKind, Bool) =
      switch self {
      case .resnet(_, _, let f, _, let n, let d, _, _): (.resnet, f, n, d)
      case .unet(_, _, let f, _, let n, let d): (.unet, f, n, d)
      }
    var f = root.nestedContainer(keyedBy: Field.self, forKey: kind)
    try f.encode(inChannels, forKey: .inChannels)
    try f.encode(outChannels, forKey: .outChannels)
    try f.encode(filters, forKey: .baseFilters)
    try f.encode(norm, forKey: .norm)
    try f.encode(dropout, forKey: .dropout)
    switch self {
    case .resnet(_, _, _, let blocks, _, _, let padding, let upsampling):
      try f.encode(blocks, forKey: .blocks)
      try f.encode(padding, forKey: .padding)
      if upsampling != .transposed { try f.encode(upsampling, forKey: .upsampling) }
    case .unet(_, _, _, let downsamplings, _, _):
      try f.encode(downsamplings, forKey: .downsamplings)
    }
  }

}
