// `translate eval`: a model's translations of paired scenes against their ground truth, next to three
// baselines computed in the same run — the untranslated input; the best global per-channel affine colour map
// fitted on the (unpaired) training domains, matching each channel's mean and standard deviation, the
// least-squares optimum an unpaired fit can reach without correspondences; and a flat image of the target
// domain's mean colour, which ignores the input. The last one says what PSNR and SSIM reward: where the
// target holds content the input cannot predict (lit windows, stars), a flat guess scores well, so a model
// should be read against it and looked at, not only scored. Beside the scores, the median checkerboard index
// (Checkerboard.swift) of the translations, of the ground truth and of the inputs.

import Foundation

/// Mean PSNR (dB) and SSIM of one method over the evaluation images.
public struct QualityScore: Codable, Sendable, Equatable {
  public var psnr: Double, ssim: Double
}

/// Median checkerboard index of the model's translations, of their ground truth and of the untranslated inputs
/// (nil when no image was large enough to have one).
public struct CheckerboardMedians: Codable, Sendable, Equatable {
  public var model: Double?, target: Double?, untranslated: Double?
}

public struct DirectionEvaluation: Codable, Sendable {
  public let from: String, to: String
  public let images: Int
  public let model: QualityScore, untranslated: QualityScore, affineColour: QualityScore, meanColour: QualityScore
  public let checkerboard: CheckerboardMedians
}

/// Per-channel mean and standard deviation of a folder of images (all pixels of all RGB images), in sample units:
/// what the colour baselines are fitted from. Computed once per folder.
public struct ColourMoments: Sendable {
  public let mean: [Double], std: [Double]

  public init(of images: [Image]) {
    var s = [Double](repeating: 0, count: 3)
    var ss = s
    var n = 0.0
    for image in images {
      let rgb = image.droppingAlpha()
      guard rgb.channels == 3 else { continue }
      for p in 0..<rgb.pixelCount {
        for c in 0..<3 {
          let v = Double(rgb.samples[p * 3 + c])
          s[c] += v
          ss[c] += v * v
        }
      }
      n += Double(rgb.pixelCount)
    }
    let m = s.map { $0 / max(n, 1) }
    mean = m
    std = (0..<3).map { (max(ss[$0] / max(n, 1) - m[$0] * m[$0], 0)).squareRoot() }
  }
}

/// Per-channel y = (x − μ_from)/σ_from · σ_to + μ_to, in sample units.
public struct AffineColourMap: Codable, Sendable {
  public var scale: [Double], offset: [Double]

  /// Fits the map from the channel moments of two folders of images.
  public static func fit(from source: ColourMoments, to target: ColourMoments) -> AffineColourMap {
    let scale = (0..<3).map { target.std[$0] / max(source.std[$0], 1e-9) }
    return AffineColourMap(scale: scale, offset: (0..<3).map { target.mean[$0] - source.mean[$0] * scale[$0] })
  }

  /// The map to a flat image of the target folder's mean colour (scale 0): the input-blind baseline.
  public static func meanColour(of target: ColourMoments) -> AffineColourMap {
    AffineColourMap(scale: [0, 0, 0], offset: target.mean)
  }

  public func apply(_ image: Image) -> Image {
    var out = image
    let maximum = Double(image.maxSample)
    for p in 0..<image.pixelCount {
      for c in 0..<min(3, image.channels) {
        let v = Double(image.samples[p * image.channels + c]) * scale[c] + offset[c]
        out.samples[p * image.channels + c] = UInt16(min(max(v.rounded(), 0), maximum))
      }
    }
    return out
  }
}

/// Why a paired evaluation cannot score an image.
public enum PairedEvaluationError: Error, Equatable, CustomStringConvertible {
  /// The image to score and its ground truth differ in size or channels.
  case mismatchedPair(path: String, target: String, reason: String)
  public var description: String {
    switch self {
    case .mismatchedPair(let path, let target, let reason): "\(path): cannot be scored against \(target): \(reason)"
    }
  }
}

public enum PairedEvaluation {
  /// Translates every image of `pairedRoot/from` with `translator` (as `translate` would) and scores it against
  /// the same file name in `pairedRoot/to`; the baselines — the input itself, `colourMap` and `meanColour`
  /// applied to it — are scored on the same pairs.
  public static func evaluate(
    translator: ImageTranslator, colourMap: AffineColourMap, meanColour: AffineColourMap, from: String, to: String,
    pairedRoot: URL
  ) throws -> DirectionEvaluation {
    let inputs = try DomainFolder(pairedRoot.appendingPathComponent(from))
    let targetRoot = pairedRoot.appendingPathComponent(to)
    var sums = [QualityScore](repeating: QualityScore(psnr: 0, ssim: 0), count: 4)
    var count = 0
    var checkerboard: (model: [Double], target: [Double], untranslated: [Double]) = ([], [], [])
    for path in inputs.files {
      let relative = String(path.dropFirst(inputs.root.path.count + 1))
      let input = try ImageDecoder.load(path: path).image.droppingAlpha().converted(toBitDepth: 8)
      let target = try ImageDecoder.load(path: targetRoot.appendingPathComponent(relative).path).image.droppingAlpha()
        .converted(toBitDepth: 8)
      let translated = translator.translate(input).image
      let targetPath = targetRoot.appendingPathComponent(relative).path
      for candidate in [input, translated]
      where (candidate.width, candidate.height, candidate.channels)
        != (target.width, target.height, target.channels)
      {
        throw PairedEvaluationError.mismatchedPair(
          path: path, target: targetPath,
          reason: "\(candidate.width)×\(candidate.height)×\(candidate.channels) vs "
            + "\(target.width)×\(target.height)×\(target.channels) (width × height × channels)")
      }
      for (k, candidate) in [translated, input, colourMap.apply(input), meanColour.apply(input)].enumerated() {
        sums[k].psnr += ImageMetrics.psnr(candidate, target)
        sums[k].ssim += ImageMetrics.ssim(candidate, target)
      }
      checkerboard.model.append(checkerboardIndex(translated))
      checkerboard.target.append(checkerboardIndex(target))
      checkerboard.untranslated.append(checkerboardIndex(input))
      count += 1
    }
    let mean = sums.map { QualityScore(psnr: $0.psnr / Double(max(count, 1)), ssim: $0.ssim / Double(max(count, 1))) }
    let medians = CheckerboardMedians(
      model: median(checkerboard.model), target: median(checkerboard.target),
      untranslated: median(checkerboard.untranslated))
    return DirectionEvaluation(
      from: from, to: to, images: count, model: mean[0], untranslated: mean[1], affineColour: mean[2],
      meanColour: mean[3], checkerboard: medians)
  }

  /// The median of the values that are numbers (images too small for an index give NaN); nil when none are.
  static func median(_ values: [Double]) -> Double? {
    let v = values.filter { !$0.isNaN }.sorted()
    guard !v.isEmpty else { return nil }
    return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
  }

  /// Every decodable image of a (training) folder, 8-bit: the data the colour baseline is fitted on.
  public static func loadAll(_ folder: URL) throws -> [Image] {
    try DomainFolder(folder).files.compactMap { try? ImageDecoder.load(path: $0).image.converted(toBitDepth: 8) }
  }
}
