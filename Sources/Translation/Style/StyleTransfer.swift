// Neural style transfer by optimizing the pixels (Gatys, Ecker & Bethge, CVPR 2016): minimize the perceptual
// loss styleWeight·style + contentWeight·content + tvWeight·TV (PerceptualLoss.swift) over the image, with Adam (Kingma & Ba 2015) in
// network space [−1, 1], projecting back into [−1, 1] after each step. Gatys used L-BFGS; Adam needs no line
// search, has one knob, and reaches a similar loss within a few hundred steps at these sizes.

import Foundation

/// How the optimized image starts.
public enum StyleInitialization: String, Sendable, CaseIterable {
  /// The content image itself: keeps the layout from the first step (faster, the default).
  case content
  /// Uniform noise in [−0.5, 0.5] around gray, from the seed (Gatys' original setting).
  case noise
}

/// Settings of one `translate style` run.
public struct StyleTransferConfiguration: Sendable {
  /// Longer side of the image being optimized, in pixels; the result is resized back to the content's size.
  public var size = 256
  public var iterations = 300
  /// Weights of the relative losses (StyleLosses.swift).
  public var styleWeight: Float = 20
  public var contentWeight: Float = 1
  public var tvWeight: Float = 0.1
  public var initialization = StyleInitialization.content
  public var seed: UInt64 = 0
  /// Adam step in network units ([−1, 1] spans 2).
  public var learningRate: Float = 0.02
  public var features = FeatureNetworkChoice.random(seed: RandomFeatureNetwork.defaultSeed)
  public init() {}
}

/// The losses at one iteration (before that iteration's update), weighted terms unscaled.
public struct StyleTransferStep: Sendable {
  public var iteration: Int
  public var style: Float, content: Float, totalVariation: Float, total: Float
  /// Iterations per second over the run so far.
  public var iterationsPerSecond: Double
}

/// The stylized image and the loss history.
public struct StyleTransferResult {
  /// At the working size, (1, 3, h, w) in [−1, 1].
  public var tensor: Tensor
  /// `history[i]` holds the losses before update i; `final` those of the returned image.
  public var history: [StyleTransferStep]
  public var final: StyleTransferStep
}

public enum StyleTransfer {
  /// Optimizes an image with the content of `content` and the style of `style` (both (1, 3, h, w) in
  /// [−1, 1]; the style may have any size). `progress` sees every step.
  public static func run(
    content: Tensor, style: Tensor, network: any StyleFeatureNetwork, configuration c: StyleTransferConfiguration,
    progress: (StyleTransferStep) -> Void = { _ in }
  ) -> StyleTransferResult {
    let loss = PerceptualLoss(
      network: network, style: style, styleWeight: c.styleWeight,
      contentWeight: c.contentWeight, tvWeight: c.tvWeight)
    let contentTarget = loss.contentTarget(content)
    var rng = SeededGenerator(seed: c.seed)
    let start =
      c.initialization == .content ? content : Tensor.uniform(content.shape, low: -0.5, high: 0.5, using: &rng)
    let pixels = Variable(start, requiresGrad: true)
    var adam = Adam([NamedVariable("image", pixels)], learningRate: c.learningRate)
    var history: [StyleTransferStep] = []
    let clock = ContinuousClock()
    let began = clock.now

    func evaluate(_ iteration: Int) -> (Variable, StyleTransferStep) {
      let terms = loss(pixels, contentTarget: contentTarget)
      let elapsed = (clock.now - began) / .seconds(1)
      return (
        terms.total,
        StyleTransferStep(
          iteration: iteration, style: terms.style.scalar, content: terms.content.scalar,
          totalVariation: terms.totalVariation.scalar, total: terms.total.scalar,
          iterationsPerSecond: elapsed > 0 ? Double(iteration) / elapsed : 0)
      )
    }
    for i in 0..<c.iterations {
      adam.zeroGrad()
      let (total, step) = evaluate(i)
      total.backward()
      adam.update()
      pixels.value.withUnsafeMutableBufferPointer { p in for j in p.indices { p[j] = min(max(p[j], -1), 1) } }
      history.append(step)
      progress(step)
    }
    let final = GradientMode.withoutGradients { evaluate(c.iterations).1 }
    return StyleTransferResult(tensor: pixels.value, history: history, final: final)
  }

  /// Reads the content and style images (EXIF orientation applied), optimizes at `configuration.size` on the
  /// longer side, and writes the result at the content's original size (and alpha) to `outputPath`.
  /// - Throws: `StyleError.image` for unreadable inputs or an unwritable output; `.invalidFeatureWeights`;
  ///   `.imageTooSmall` when the content's shorter side at the working size is below the network's minimum
  ///   (a too elongated style image is cropped instead: StyleImages.styleTensor).
  public static func run(
    contentPath: String, stylePath: String, outputPath: String, configuration c: StyleTransferConfiguration,
    progress: (StyleTransferStep) -> Void = { _ in }
  ) throws(StyleError) -> StyleTransferResult {
    let network = try c.features.make()
    let content: Image
    let style: Image
    do {
      content = try ImageDecoder.load(path: contentPath).image
      style = try ImageDecoder.load(path: stylePath).image
    } catch { throw .image(error) }
    let working = StyleImages.scaledSize(width: content.width, height: content.height, longerSide: c.size)
    guard min(working.width, working.height) >= network.minimumImageSide else {
      throw .imageTooSmall(
        path: contentPath, width: working.width, height: working.height, minimum: network.minimumImageSide)
    }
    let result = run(
      content: StyleImages.networkTensor(content, longerSide: c.size),
      style: StyleImages.styleTensor(style, longerSide: c.size, minimumSide: network.minimumImageSide),
      network: network, configuration: c, progress: progress)
    let output = StyleImages.image(result.tensor, restoringSizeOf: content)
    do {
      try ImageWriter.write(output, to: outputPath, protecting: ProtectedFiles(paths: [contentPath, stylePath]))
    } catch { throw .image(error) }
    return result
  }
}
