// Named starting points for `translate train`: junyanz's defaults, and CPU presets that train something
// useful on a 2-core machine in minutes. Explicit options override any preset value (TrainingOverrides.swift).

public enum TrainingPreset: String, Sendable, CaseIterable, Codable {
  /// junyanz's CycleGAN defaults: ResNet-9 ngf 64, 70×70 PatchGAN ndf 64, resize 286 → crop 256, 100 + 100
  /// epochs, batch 1. Days on a CPU.
  case standard
  /// ResNet-6 with 16 filters, PatchGAN with 32, random 64×64 crops at the images' own scale (no resize, so a
  /// model trained on 128² images translates 128² images at the scale it learned): a few minutes per
  /// thousand steps on 2 cores.
  case quick
  /// A smoke test: ResNet-2 with 8 filters on 32×32 crops, for CI and for checking a dataset end to end.
  case tiny

  public var configuration: CycleGANConfiguration {
    var c = CycleGANConfiguration()
    switch self {
    case .standard: break
    case .quick:
      c.generator = .preset(.resnet6, baseFilters: 16)
      c.discriminatorFilters = 32
      c.epochs = 5
      c.decayEpochs = 5
    case .tiny:
      c.generator = .resnet(
        inChannels: 3, outChannels: 3, baseFilters: 8, blocks: 2, norm: .instance, dropout: false,
        padding: .reflect)
      c.discriminatorFilters = 8
      c.poolSize = 10
      c.epochs = 1
      c.decayEpochs = 1
    }
    return c
  }

  public var augmentation: Augmentation {
    switch self {
    case .standard: Augmentation()
    case .quick: Augmentation(preprocess: .crop, loadSize: 64, cropSize: 64, flip: true)
    case .tiny: Augmentation(preprocess: .crop, loadSize: 32, cropSize: 32, flip: true)
    }
  }
}
