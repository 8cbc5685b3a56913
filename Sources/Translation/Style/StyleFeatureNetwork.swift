// What style and content losses need from a feature network: one forward pass that returns the maps whose
// Gram matrices carry style (Gatys, Ecker & Bethge, CVPR 2016) and the map whose values carry content.

/// Feature maps of a batch: `style[l]` is (N, C_l, H_l, W_l); `content` is (N, C, H', W') or nil when not asked for.
public struct StyleFeatures {
  public var style: [Variable]
  public var content: Variable?
  public init(style: [Variable], content: Variable?) {
    self.style = style
    self.content = content
  }
}

/// A fixed (never trained) network mapping images in network space [−1, 1] to feature maps.
/// Implementations: `RandomFeatureNetwork` (the offline default) and `VGGFeatureNetwork` (torchvision weights).
public protocol StyleFeatureNetwork {
  /// images: (N, 3, H, W) in [−1, 1]. Some style layers may be missing for small images (see each type);
  /// the losses compare the layers both sides have. Differentiable with respect to `images`.
  func features(_ images: Variable, content: Bool) -> StyleFeatures
  /// Number of style layers for large enough images.
  var styleLayerCount: Int { get }
  /// The shortest image side (pixels) for which `features` returns every content layer and at least one style
  /// layer; callers refuse or crop smaller images (StyleImages.styleTensor) rather than pass them in.
  var minimumImageSide: Int { get }
}

/// Which feature network `translate style` and `translate train-style` use.
public enum FeatureNetworkChoice: Sendable, Equatable {
  /// The seeded random multi-scale network (no download; see RandomFeatureNetwork.swift).
  case random(seed: UInt64)
  /// VGG-16/19 from a safetensors file with torchvision names, with a layer set.
  case vgg(path: String, layers: VGGLayerSet)

  /// Builds the network (reads the weights file for `.vgg`).
  public func make() throws(StyleError) -> any StyleFeatureNetwork {
    switch self {
    case .random(let seed): RandomFeatureNetwork(seed: seed)
    case .vgg(let path, let layers): try VGGFeatureNetwork(path: path, layers: layers)
    }
  }
}
