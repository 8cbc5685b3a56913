// Training a fast style network (Johnson, Alahi & Fei-Fei, ECCV 2016): the transformer is trained with Adam on
// random crops of content images to minimize the perceptual loss styleWeight·style(T(x)) +
// contentWeight·content(T(x), x) + tvWeight·TV(T(x)) (PerceptualLoss.swift) on a fixed feature network.

import Foundation

/// Ready-made settings. `quick` trains in minutes on two CPU cores at 128 px; `standard` is Johnson's
/// width at 256 px (hours on a CPU).
public enum StyleTrainingPreset: String, Sendable, CaseIterable {
  case quick, standard
}

/// Settings of one `translate train-style` run.
public struct StyleTrainingConfiguration: Sendable {
  /// Side of the square content crops, in pixels (a multiple of 4).
  public var size: Int
  public var iterations: Int
  public var batchSize: Int
  public var styleWeight: Float = 20
  public var contentWeight: Float = 1
  public var tvWeight: Float = 0.1
  public var learningRate: Float
  /// Transformer width f (Johnson: 32) and residual blocks (Johnson: 5).
  public var baseFilters: Int
  public var blocks = 5
  public var seed: UInt64 = 0
  public var features = FeatureNetworkChoice.random(seed: RandomFeatureNetwork.defaultSeed)

  public init(preset: StyleTrainingPreset = .quick) {
    switch preset {
    case .quick: (size, iterations, batchSize, baseFilters, learningRate) = (128, 300, 2, 16, 2e-3)
    case .standard: (size, iterations, batchSize, baseFilters, learningRate) = (256, 4000, 4, 32, 1e-3)
    }
  }
}

/// Losses of one training step (before its update).
public struct StyleTrainingStep: Sendable {
  public var iteration: Int
  public var style: Float, content: Float, totalVariation: Float, total: Float
  public var imagesPerSecond: Double
}

/// The transformer being trained, its optimizer and its fixed loss.
public struct StyleTrainer {
  public let configuration: StyleTrainingConfiguration
  public let network: StyleTransformerNetwork
  let loss: PerceptualLoss
  var adam: Adam

  /// style: (1, 3, h, w) in [−1, 1], the style image at the size its statistics should be taken.
  public init(configuration c: StyleTrainingConfiguration, style: Tensor, features: any StyleFeatureNetwork) {
    configuration = c
    network = StyleTransformerNetwork(baseFilters: c.baseFilters, blocks: c.blocks, seed: c.seed)
    loss = PerceptualLoss(
      network: features, style: style, styleWeight: c.styleWeight, contentWeight: c.contentWeight,
      tvWeight: c.tvWeight)
    adam = Adam(network.parameters, learningRate: c.learningRate)
  }

  /// One Adam step on batch (N, 3, S, S) in [−1, 1]; returns the losses before the update.
  public mutating func step(_ batch: Tensor) -> (style: Float, content: Float, totalVariation: Float, total: Float) {
    let target = loss.contentTarget(batch)
    adam.zeroGrad()
    let terms = loss(network(Variable(batch)), contentTarget: target)
    terms.total.backward()
    adam.update()
    return (terms.style.scalar, terms.content.scalar, terms.totalVariation.scalar, terms.total.scalar)
  }
}

public enum FastStyleTraining {
  /// Trains on random square crops (shorter side scaled to `size`, random crop, random flip) of the images
  /// in `contentFolder` and writes the model to `outputPath` (StyleNetworkFile format).
  /// - Throws: `StyleError` for an unreadable style image or folder, an empty folder, or an unwritable output.
  public static func train(
    stylePath: String, contentFolder: String, outputPath: String, configuration c: StyleTrainingConfiguration,
    progress: (StyleTrainingStep) -> Void = { _ in }
  ) throws(StyleError) -> [StyleTrainingStep] {
    let style: Image
    let folder: DomainFolder
    do {
      style = try ImageDecoder.load(path: stylePath).image
      folder = try DomainFolder(URL(fileURLWithPath: contentFolder))
    } catch { throw .image(error) }
    guard !folder.files.isEmpty else { throw .noContentImages(path: contentFolder) }
    let features = try c.features.make()
    guard c.size >= features.minimumImageSide else {
      throw .imageTooSmall(path: contentFolder, width: c.size, height: c.size, minimum: features.minimumImageSide)
    }
    let loader = DomainLoader(folder: folder) { _ in }
    var trainer = StyleTrainer(
      configuration: c,
      style: StyleImages.styleTensor(
        style, longerSide: c.size,
        minimumSide: features.minimumImageSide),
      features: features)
    var rng = SeededGenerator(seed: c.seed &+ 1)
    var history: [StyleTrainingStep] = []
    let clock = ContinuousClock()
    let began = clock.now
    for i in 0..<c.iterations {
      var crops: [Tensor] = []
      var attempts = 0
      while crops.count < c.batchSize {
        attempts += 1
        guard attempts <= 10 * c.batchSize + folder.files.count else { throw .noContentImages(path: contentFolder) }
        guard let image = loader.load(Int.random(in: 0..<folder.files.count, using: &rng)) else { continue }
        crops.append(Tensor(image: randomSquare(image, side: c.size, using: &rng), channels: 3))
      }
      let losses = trainer.step(Tensor(stacking: crops))
      let elapsed = (clock.now - began) / .seconds(1)
      let step = StyleTrainingStep(
        iteration: i, style: losses.style, content: losses.content,
        totalVariation: losses.totalVariation, total: losses.total,
        imagesPerSecond: Double((i + 1) * c.batchSize) / max(elapsed, 1e-9))
      history.append(step)
      progress(step)
    }
    let name = String(stylePath.split(separator: "/").last ?? "")
    try StyleNetworkFile.save(
      trainer.network, to: outputPath,
      extra: [
        "style": name, "size": String(c.size), "iterations": String(c.iterations),
        "style_weight": "\(c.styleWeight)", "content_weight": "\(c.contentWeight)", "tv_weight": "\(c.tvWeight)",
      ])
    return history
  }

  /// The shorter side scaled to `side` (bicubic), a random side × side crop, and a random horizontal flip.
  static func randomSquare(_ image: Image, side: Int, using rng: inout SeededGenerator) -> Image {
    let scale = Double(side) / Double(min(image.width, image.height))
    let (w, h) = (
      max(side, Int((Double(image.width) * scale).rounded())), max(side, Int((Double(image.height) * scale).rounded()))
    )
    let scaled = (w, h) == (image.width, image.height) ? image : image.resized(width: w, height: h)
    let x = Int.random(in: 0...(w - side), using: &rng)
    let y = Int.random(in: 0...(h - side), using: &rng)
    let crop = scaled.cropped(x: x, y: y, width: side, height: side)
    return Bool.random(using: &rng) ? crop.flippedHorizontally() : crop
  }
}
