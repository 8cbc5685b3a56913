// The choices junyanz's networks.py takes as strings (--norm, --netG, --netD), as enums.

/// Normalization after each convolution (junyanz get_norm_layer).
public enum NormKind: String, Sendable, CaseIterable, Codable {
  /// InstanceNorm2d(affine: false, no running statistics): CycleGAN's default.
  case instance
  /// BatchNorm2d(affine, running statistics): pix2pix's default.
  case batch
  /// Identity.
  case none

  func layer(_ channels: Int) -> any Layer {
    switch self {
    case .instance: InstanceNorm2d(channels)
    case .batch: BatchNorm2d(channels)
    case .none: Identity()
    }
  }

  /// junyanz: `use_bias = norm_layer == InstanceNorm2d` — batch norm has its own shift, and with no norm the
  /// (lambda-built) layer compares unequal, so those convolutions carry no bias either.
  var convolutionsHaveBias: Bool { self == .instance }
}

/// Generator architectures (junyanz --netG).
public enum GeneratorKind: String, Sendable, CaseIterable, Codable {
  case resnet9 = "resnet_9blocks"
  case resnet6 = "resnet_6blocks"
  case unet128 = "unet_128"
  case unet256 = "unet_256"
}

/// Discriminator architectures (junyanz --netD).
public enum DiscriminatorKind: String, Sendable, CaseIterable, Codable {
  /// 70×70 PatchGAN: NLayerDiscriminator with 3 layers.
  case basic
  /// NLayerDiscriminator with a chosen number of layers.
  case nLayers = "n_layers"
  /// 1×1 PatchGAN.
  case pixel
}

/// How a ResNet generator gets back from its quarter-resolution features to the image (ours; junyanz has only
/// transposed convolutions).
public enum Upsampling: String, Sendable, CaseIterable, Codable {
  /// ConvTranspose2d 3×3, stride 2, padding 1, output_padding 1 (junyanz): kernels overlap unevenly, which
  /// leaves a period-2 grid on the output (Odena, Dumoulin & Olah 2016).
  case transposed
  /// Nearest-neighbour ×2, then a 3×3 convolution (Odena et al.'s resize-convolution): even overlap, no grid.
  case resizeConvolution = "resize-convolution"
  /// Bilinear ×2 (PyTorch's half-pixel centres), then a 3×3 convolution: also even, and it damps the copies of
  /// the low-resolution spectrum that nearest-neighbour repetition leaves near the new Nyquist frequency.
  case bilinearResizeConvolution = "bilinear-resize-convolution"
  /// No decoder: a 3×3 convolution predicts 12 colour-transform coefficients per quarter-resolution pixel, they
  /// are upsampled bilinearly ×4 and applied to the input, tanh((I + A)·x + b) (local affine colour transforms,
  /// Gharbi et al. 2017). The output's edges are the input's, so it keeps the scene's structure and has no grid;
  /// the network only chooses colours, smoothly in space. Cheaper than either decoder (nothing runs at full
  /// resolution but the first convolution); ResNet generators with 3-channel input and output only.
  case colourTransform = "colour-transform"

  /// How an architecture summary names it: nothing for junyanz's transposed convolutions.
  var summarySuffix: String {
    switch self {
    case .transposed: ""
    case .resizeConvolution, .bilinearResizeConvolution: ", \(rawValue) upsampling"
    case .colourTransform: ", colour-transform head"
    }
  }

  /// The resampling before the 3×3 convolution; nil when there is no resize-convolution.
  public var resize: UpsampleMode? {
    switch self {
    case .transposed, .colourTransform: nil
    case .resizeConvolution: .nearest
    case .bilinearResizeConvolution: .bilinear
    }
  }
}
