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

/// How a ResNet generator doubles its resolution, twice (ours; junyanz has only transposed convolutions).
public enum Upsampling: String, Sendable, CaseIterable, Codable {
  /// ConvTranspose2d 3×3, stride 2, padding 1, output_padding 1 (junyanz): kernels overlap unevenly, which
  /// leaves a period-2 grid on the output (Odena, Dumoulin & Olah 2016).
  case transposed
  /// Nearest-neighbour ×2, then a 3×3 convolution (Odena et al.'s resize-convolution): even overlap, no grid.
  case resizeConvolution = "resize-convolution"
  /// Bilinear ×2 (PyTorch's half-pixel centres), then a 3×3 convolution: also even, and it damps the copies of
  /// the low-resolution spectrum that nearest-neighbour repetition leaves near the new Nyquist frequency.
  case bilinearResizeConvolution = "bilinear-resize-convolution"

  /// The resampling before the 3×3 convolution; nil for transposed convolutions.
  public var resize: UpsampleMode? {
    switch self {
    case .transposed: nil
    case .resizeConvolution: .nearest
    case .bilinearResizeConvolution: .bilinear
    }
  }
}
