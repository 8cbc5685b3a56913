// One image through one generator, as a user expects: same size (reflection padding to the generator's
// multiple, cropped back), EXIF-upright input, alpha passed through, same bit depth, gray kept gray by a
// 1-channel model; in one pass or in tiles with whole-image InstanceNorm statistics (TiledForward.swift,
// TiledStatistics.swift).

import Foundation

/// Why a model cannot translate images.
public enum TranslatorError: Error, Equatable, CustomStringConvertible {
  /// The generator takes or gives a channel count that is not an image's (1 or 3).
  case unsupportedChannels(path: String, inChannels: Int, outChannels: Int)
  public var description: String {
    switch self {
    case .unsupportedChannels(let path, let i, let o):
      "\(path): the generator maps \(i) to \(o) channels; images need 1 (gray) or 3 (RGB)"
    }
  }
}

/// A generator ready to translate images. Not thread-safe: one translation at a time.
public struct ImageTranslator {
  public let generator: any Layer
  public let architecture: GeneratorArchitecture
  public let planner: ForwardPlanner

  /// Builds the generator for `direction` from a loaded model file.
  /// - Throws: `ModelFileError` (missing tensor, wrong shape, single-generator file) or `TranslatorError`.
  public init(
    model: TranslationModel, direction: Direction, budget: ByteCount = .defaultBudget, tile: Int? = nil,
    fastStatistics: Bool = false
  ) throws {
    let a = model.architecture
    guard [1, 3].contains(a.inChannels) && [1, 3].contains(a.outChannels) else {
      throw TranslatorError.unsupportedChannels(path: model.path, inChannels: a.inChannels, outChannels: a.outChannels)
    }
    self.init(
      generator: try model.generator(direction), architecture: a,
      planner: ForwardPlanner(architecture: a, budget: budget, tile: tile, fastStatistics: fastStatistics))
  }

  /// A translator around an already built generator (tests, benchmarks).
  public init(generator: any Layer, architecture: GeneratorArchitecture, planner: ForwardPlanner) {
    self.generator = generator
    self.architecture = architecture
    self.planner = planner
  }

  /// The translated image (same width, height and bit depth; alpha copied from `image`) and the plan used.
  public func translate(_ image: Image) -> (image: Image, plan: ForwardPlan) {
    let colour = image.droppingAlpha()
    let tiny = colour.width < architecture.minimumSide || colour.height < architecture.minimumSide
    let (padded, padding) = colour.paddedByReflection(
      toMultipleOf: tiny ? architecture.minimumSide : architecture.sizeMultiple)
    let plan = planner.plan(width: padded.width, height: padded.height)
    let output = LayerMode.inference { () -> Tensor in
      switch plan {
      case .whole: return generator(Variable(Tensor(image: padded, channels: architecture.inChannels))).value
      case .tiled(let grid, let statistics): return tiledForward(padded, grid: grid, statistics: statistics)
      }
    }
    var result = Image(tensor: output, bitDepth: image.bitDepth)
    if padded.width != colour.width || padded.height != colour.height { result = result.removingPadding(padding) }
    return (image.replacingColour(with: result), plan)
  }
}
