// The objective of style transfer and fast style training (Gatys, Ecker & Bethge, CVPR 2016; Johnson, Alahi &
// Fei-Fei, ECCV 2016): styleWeight·style + contentWeight·content + tvWeight·TV, the relative losses of
// StyleLosses.swift taken from one forward pass of the feature network.

/// The three terms of one evaluation (scalars, unweighted) and their weighted sum, all differentiable.
public struct PerceptualTerms {
  public var style: Variable, content: Variable, totalVariation: Variable, total: Variable
}

/// The weighted perceptual loss against one style image; the content target is given per call.
public struct PerceptualLoss {
  public let network: any StyleFeatureNetwork
  public let style: StyleLoss
  public let styleWeight: Float, contentWeight: Float, tvWeight: Float

  /// style: (1, 3, h, w) in [−1, 1], at the size its statistics should be taken.
  public init(
    network: any StyleFeatureNetwork, style: Tensor, styleWeight: Float, contentWeight: Float,
    tvWeight: Float
  ) {
    self.network = network
    self.style = StyleLoss(network: network, styleImages: [style])
    (self.styleWeight, self.contentWeight, self.tvWeight) = (styleWeight, contentWeight, tvWeight)
  }

  /// content: (N, 3, H, W) in [−1, 1] → its content feature map, the target of `callAsFunction` (no tape).
  public func contentTarget(_ content: Tensor) -> Tensor {
    GradientMode.withoutGradients { network.features(Variable(content), content: true).content!.value }
  }

  /// images: (N, 3, H, W) in [−1, 1]; contentTarget: `contentTarget(_:)` of the content they should keep.
  public func callAsFunction(_ images: Variable, contentTarget: Tensor) -> PerceptualTerms {
    let f = network.features(images, content: true)
    let (s, k, tv) = (style.loss(f.style), contentLoss(f.content!, target: contentTarget), totalVariation(images))
    return PerceptualTerms(
      style: s, content: k, totalVariation: tv,
      total: s * styleWeight + k * contentWeight + tv * tvWeight)
  }
}
