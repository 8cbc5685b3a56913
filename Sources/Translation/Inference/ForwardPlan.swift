// Choosing how an image goes through the generator within a memory budget: in one pass when the estimate
// fits, otherwise in tiles with whole-image instance-norm statistics, computed exactly tile by tile or (with
// --fast-statistics) taken from a downscaled copy.

/// Where the whole-image InstanceNorm statistics of a tiled run come from.
public enum StatisticsPass: Equatable, Sendable {
  /// A full forward pass over the whole image: the statistics, hence the tiled output, are those of the
  /// untiled run (up to the halo's truncation of context). Used when that pass fits the budget.
  case fullResolution
  /// Exact statistics computed tile by tile: one pass per norm layer, each accumulating that layer's moments
  /// over the tiles' cores (TiledStatistics.swift). Passes start from the input until the state reached fits in
  /// `storedBytes` (the activations' share of the budget) for the whole image; later passes resume from it.
  /// The default when the whole image does not fit.
  case tileByTile(storedBytes: Int)
  /// A pass over a copy downscaled (area filter) to `width` × `height` (`--fast-statistics`): one extra pass,
  /// but not exact: detail lost in downscaling lowers the variances (a 6028×3391 photo through the bundled
  /// model under 2 GiB: mean 2.2, p99 20, max 214 levels from the untiled output).
  case downscaled(width: Int, height: Int)
}

/// How one padded image goes through the network.
public enum ForwardPlan: Equatable, Sendable, CustomStringConvertible {
  /// One pass over the whole image.
  case whole
  /// Tiles, with statistics from `statistics`.
  case tiled(TileGrid, statistics: StatisticsPass)

  public var description: String {
    switch self {
    case .whole: return "whole image"
    case .tiled(let grid, let statistics):
      let source: String
      switch statistics {
      case .fullResolution: source = "full-resolution statistics"
      case .tileByTile: source = "exact statistics tile by tile"
      case .downscaled(let w, let h): source = "statistics at \(w)x\(h)"
      }
      return "\(grid.tiles.count) tiles of \(grid.core)px (halo \(grid.halo)), \(source)"
    }
  }
}

/// Picks a `ForwardPlan` for each image size from the architecture, the memory budget and `--tile`.
public struct ForwardPlanner: Sendable {
  public let architecture: GeneratorArchitecture
  public let budget: ByteCount
  /// A forced tile core size (rounded up to the size multiple), or nil to tile only when needed.
  public let tile: Int?
  /// Context around each tile core (pixels, a multiple of the size multiple).
  public let halo: Int
  /// Statistics of tiled images from a downscaled copy (fast, approximate) instead of tile by tile (exact).
  public let fastStatistics: Bool

  /// Halo: 64 pixels (16 at the residual blocks' quarter resolution), of which the outer 16 blend. Measured by
  /// `translate bench halo` (Benchmarks/HaloBenchmark.swift: 384×320 image, 128-pixel tiles, full-resolution
  /// statistics, random N(0, 0.02²) ResNet-9 ngf64 / N(0, 0.05²) ResNet-3 ngf8) as the max difference to the untiled
  /// output for halos 0, 8, 16, 32, 64: 235, 157, 91, 22, 1 (ResNet-9) and 228, 147, 65, 10, 1 (ResNet-3)
  /// levels of 255. The influence of far context decays fast but not to zero; 64 is the first halo within
  /// the 2/255 target.
  public static let defaultHalo = 64
  /// Smallest automatic tile core: below it the halo would cost more than the core.
  public static let minimumCore = 128

  public init(
    architecture: GeneratorArchitecture, budget: ByteCount = .defaultBudget, tile: Int? = nil,
    halo: Int? = nil, fastStatistics: Bool = false
  ) {
    let m = architecture.sizeMultiple
    self.architecture = architecture
    self.budget = budget
    self.tile = tile.map { Self.roundUp(max($0, m), m) }
    self.halo = Self.roundUp(halo ?? Self.defaultHalo, m)
    self.fastStatistics = fastStatistics
  }

  /// Bytes left for the network once the image buffers of a `width` × `height` translation are counted.
  public func networkBudget(width: Int, height: Int) -> Int {
    budget.bytes - architecture.imageBytesPerPixel * width * height
  }

  /// The plan for a padded `width` × `height` image.
  public func plan(width: Int, height: Int) -> ForwardPlan {
    let available = networkBudget(width: width, height: height)
    let wholeFits = architecture.forwardBytes(width: width, height: height) <= available
    if tile == nil && wholeFits { return .whole }
    let m = architecture.sizeMultiple
    func grid(_ core: Int) -> TileGrid {
      TileGrid(width: width, height: height, core: core, halo: halo, blend: min(halo / 2, 16), multiple: m)
    }
    if wholeFits { return .tiled(grid(tile!), statistics: .fullResolution) }
    if fastStatistics {
      let statistics = downscaledStatistics(width: width, height: height, available: available)
      return .tiled(grid(tile ?? largestCore(available: available)), statistics: statistics)
    }
    // Tiles of half the budget, so that a whole-image state can be stored beside one; the activations' share of
    // the budget (all but the runtime and the weights) for the stored states and the working set beside them.
    let core = tile ?? largestCore(available: available / 2)
    let stored = max(0, available - GeneratorArchitecture.fixedForwardBytes - architecture.parameterBytes)
    return .tiled(grid(core), statistics: .tileByTile(storedBytes: stored))
  }

  /// The largest square core (multiple of the size multiple) whose window, halo included, fits.
  func largestCore(available: Int) -> Int {
    let m = architecture.sizeMultiple
    var core = Self.roundUp(Self.minimumCore, m)
    while architecture.forwardBytes(width: core + m + 2 * halo, height: core + m + 2 * halo) <= available {
      core += m
    }
    return core
  }

  /// The largest copy with the image's aspect that fits, sides rounded down to the size multiple.
  func downscaledStatistics(width: Int, height: Int, available: Int) -> StatisticsPass {
    let m = architecture.sizeMultiple
    let minimum = architecture.minimumSide
    var scale = 1.0
    func size(_ s: Double) -> (Int, Int) {
      (max(minimum, Int(Double(width) * s) / m * m), max(minimum, Int(Double(height) * s) / m * m))
    }
    while scale > 0.01 {
      let (w, h) = size(scale)
      if architecture.forwardBytes(width: w, height: h) <= available { break }
      scale *= 0.95
    }
    let (w, h) = size(scale)
    return .downscaled(width: w, height: h)
  }

  static func roundUp(_ n: Int, _ m: Int) -> Int { (n + m - 1) / m * m }
}
