// A reusable style loss built from target Gram statistics — of one style image, or averaged over a set of
// images such as a CycleGAN domain folder — for style transfer, fast style training and CycleGAN training
// (Gatys, Ecker & Bethge, CVPR 2016; the averaged-Gram target is the "domain style" of the CycleGAN hook).

import Foundation

/// Weighted relative Gram loss against fixed targets. Build it once, call it on every batch:
/// `loss(images)` with images (N, 3, H, W) in [−1, 1] → scalar Σ_l w_l · styleLayerLoss(F_l(images), T_l).
///
/// Layers present in the targets but missing for a small batch (the random network drops pyramid levels
/// below 8 pixels) are skipped and the remaining weights renormalized, so the loss stays comparable across
/// sizes. The random network's cost grows with the pixel count (one 5×5 convolution and one Gram matrix per
/// pyramid level), so it is smallest at the 64–128 px of CycleGAN training.
public struct StyleLoss {
  public let network: any StyleFeatureNetwork
  /// Target Gram matrices, (C_l, C_l) per style layer, averaged over the style images.
  public let targets: [Tensor]
  /// w_l; equal weights summing to one by default.
  public let layerWeights: [Float]

  /// Targets averaged over `styleImages`, each (1, 3, H, W) in [−1, 1] (sizes may differ).
  public init(network: any StyleFeatureNetwork, styleImages: [Tensor], layerWeights: [Float]? = nil) {
    precondition(!styleImages.isEmpty, "StyleLoss: no style images")
    var sums: [Tensor] = []
    var counts: [Int] = []
    for image in styleImages {
      let grams = GradientMode.withoutGradients {
        network.features(Variable(image), content: false).style.map { gram($0).value }
      }
      for (l, g) in grams.enumerated() {
        let square = g.reshaped([g.shape[1], g.shape[2]])
        if l < sums.count {
          sums[l].add(square)
          counts[l] += 1
        } else {
          sums.append(square)
          counts.append(1)
        }
      }
    }
    targets = zip(sums, counts).map { $0 * (1 / Float($1)) }
    self.network = network
    let weights = layerWeights ?? Array(repeating: 1 / Float(targets.count), count: targets.count)
    precondition(weights.count == targets.count, "StyleLoss: \(weights.count) weights for \(targets.count) layers")
    self.layerWeights = weights
  }

  /// The target of one style image, scaled so that its longer side is `size` pixels (a very elongated image is
  /// cropped first: StyleImages.styleTensor).
  public init(network: any StyleFeatureNetwork, styleImage: Image, size: Int) {
    self.init(
      network: network,
      styleImages: [
        StyleImages.styleTensor(
          styleImage, longerSide: size,
          minimumSide: network.minimumImageSide)
      ])
  }

  /// Targets averaged over up to `limit` images of a folder (a CycleGAN domain), each scaled so its longer
  /// side is `size`. Files that do not decode are skipped.
  /// - Throws: `StyleError.noContentImages` when no image in the folder decodes, `.image` for an unreadable folder.
  public init(network: any StyleFeatureNetwork, folder: String, size: Int, limit: Int = 64) throws(StyleError) {
    let domain: DomainFolder
    do { domain = try DomainFolder(URL(fileURLWithPath: folder)) } catch { throw .image(error) }
    let images = domain.files.prefix(limit).compactMap { try? ImageDecoder.load(path: $0).image }
    guard !images.isEmpty else { throw .noContentImages(path: folder) }
    self.init(
      network: network,
      styleImages: images.map {
        StyleImages.styleTensor($0, longerSide: size, minimumSide: network.minimumImageSide)
      })
  }

  /// images: (N, 3, H, W) in [−1, 1] → the weighted style loss (scalar), differentiable.
  public func callAsFunction(_ images: Variable) -> Variable {
    loss(network.features(images, content: false).style)
  }

  /// The weighted style loss of feature maps already computed by `network` (one forward pass shared with
  /// the content loss).
  public func loss(_ style: [Variable]) -> Variable {
    let layers = min(style.count, targets.count)
    precondition(layers > 0, "StyleLoss: no style layer in common")
    let total = layerWeights.prefix(layers).reduce(0, +)
    var sum: Variable?
    for l in 0..<layers {
      let term = styleLayerLoss(style[l], target: targets[l]) * (layerWeights[l] / total)
      sum = sum.map { $0 + term } ?? term
    }
    return sum!
  }
}
