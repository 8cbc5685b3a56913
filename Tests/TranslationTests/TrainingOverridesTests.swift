// `TrainingPreset.applying(_:)`: explicit options reach whichever generator is in force, ResNet or U-Net;
// a nil field keeps the preset's value.

import Testing
import Translation

@Suite struct TrainingOverridesTests {
  @Test func noOverridesLeaveEveryPresetAsItIs() {
    for preset in TrainingPreset.allCases {
      let (configuration, augmentation) = preset.applying(TrainingOverrides())
      #expect(configuration == preset.configuration && augmentation == preset.augmentation, "\(preset)")
    }
  }

  @Test func generatorOverridesReachResnetAndUnetArchitectures() {
    var o = TrainingOverrides()
    o.baseFilters = 12
    o.norm = .batch
    o.dropout = true
    // The preset's own ResNet keeps its blocks and padding.
    #expect(
      TrainingPreset.tiny.applying(o).configuration.generator
        == .resnet(
          inChannels: 3, outChannels: 3, baseFilters: 12, blocks: 2, norm: .batch, dropout: true, padding: .reflect))
    // A U-Net in the configuration keeps its depth.
    var unet = CycleGANConfiguration()
    unet.generator = .preset(.unet128, baseFilters: 32)
    let merged = unet.applying(o)
    #expect(
      merged.generator
        == .unet(inChannels: 3, outChannels: 3, baseFilters: 12, downsamplings: 7, norm: .batch, dropout: true))
    #expect(merged.discriminatorNorm == .batch)
    // A U-Net chosen over a ResNet preset takes the overrides too.
    o.generator = .unet256
    #expect(
      TrainingPreset.quick.applying(o).configuration.generator
        == .unet(inChannels: 3, outChannels: 3, baseFilters: 12, downsamplings: 8, norm: .batch, dropout: true))
  }

  @Test func aNewGeneratorKindKeepsThePresetsFiltersNormAndDropout() {
    var o = TrainingOverrides()
    o.generator = .unet128
    #expect(TrainingPreset.quick.applying(o).configuration.generator == .preset(.unet128, baseFilters: 16))
    o.generator = .resnet9
    #expect(TrainingPreset.tiny.applying(o).configuration.generator == .preset(.resnet9, baseFilters: 8))
    var withDropout = CycleGANConfiguration()
    withDropout.generator = .preset(.unet256, dropout: true)
    o.dropout = false
    #expect(withDropout.applying(o).generator == .preset(.resnet9))
  }

  @Test func everyOtherOverrideReplacesItsPresetValue() {
    var o = TrainingOverrides()
    o.discriminator = .nLayers
    o.discriminatorFilters = 5
    o.discriminatorLayers = 2
    o.initKind = .xavier
    o.initGain = 0.03
    o.ganMode = .vanilla
    o.poolSize = 7
    o.lambdaA = 1
    o.lambdaB = 2
    o.lambdaIdentity = 0.25
    o.learningRate = 1e-3
    o.beta1 = 0.7
    o.epochs = 3
    o.decayEpochs = 4
    o.batchSize = 2
    o.lambdaStyle = 6
    o.styleImage = "style.png"
    o.seed = 9
    o.preprocess = .crop
    o.loadSize = 40
    o.cropSize = 36
    o.flip = false
    let (c, a) = TrainingPreset.standard.applying(o)
    var expected = TrainingPreset.standard.configuration
    (expected.discriminator, expected.discriminatorFilters, expected.discriminatorLayers) = (.nLayers, 5, 2)
    (expected.initKind, expected.initGain, expected.ganMode, expected.poolSize) = (.xavier, 0.03, .vanilla, 7)
    (expected.lambdaA, expected.lambdaB, expected.lambdaIdentity) = (1, 2, 0.25)
    (expected.learningRate, expected.beta1, expected.epochs, expected.decayEpochs, expected.batchSize) = (
      1e-3, 0.7, 3, 4, 2
    )
    (expected.lambdaStyle, expected.styleImage, expected.seed) = (6, "style.png", 9)
    #expect(c == expected)
    #expect(a == Augmentation(preprocess: .crop, loadSize: 40, cropSize: 36, flip: false))
  }

  @Test func cutOverridesReachCUTAndFastCUTOnly() {
    var o = TrainingOverrides()
    o.lambdaNCE = 4
    o.nceLayers = [0, 4]
    o.patches = 64
    o.nceTemperature = 0.1
    o.flipEquivariance = false
    o.baseFilters = 12
    o.epochs = 3
    // Other methods' fields do not reach CUT: its pool stays 0.
    o.poolSize = 7
    o.lambdaL1 = 3
    let merged = TrainingPreset.tiny.applying(o, method: .fastcut).configuration as? CUTConfiguration
    var expected = CUTConfiguration.preset(.tiny, mode: .fastcut)
    expected.generator = .resnet(
      inChannels: 3, outChannels: 3, baseFilters: 12, blocks: 2, norm: .instance, dropout: false, padding: .reflect)
    expected.epochs = 3
    (expected.lambdaNCE, expected.nceLayers, expected.patches) = (4, [0, 4], 64)
    (expected.temperature, expected.flipEquivariance) = (0.1, false)
    #expect(merged == expected)
    #expect(merged?.method == .fastcut && merged?.poolSize == 0 && merged?.identityNCE == false)
    // CUT's fields leave CycleGAN's and pix2pix's configurations as they were.
    var withoutCUT = o
    (withoutCUT.lambdaNCE, withoutCUT.nceLayers, withoutCUT.patches) = (nil, nil, nil)
    (withoutCUT.nceTemperature, withoutCUT.flipEquivariance) = (nil, nil)
    #expect(TrainingPreset.tiny.applying(o).configuration == TrainingPreset.tiny.applying(withoutCUT).configuration)
    #expect(
      TrainingPreset.quick.applying(o, method: .pix2pix).configuration as? Pix2PixConfiguration
        == TrainingPreset.quick.applying(withoutCUT, method: .pix2pix).configuration as? Pix2PixConfiguration)
  }

  @Test func cutPresetsAreTaesungpsOrCycleGANsSmallNetworks() {
    for mode in CUTMode.allCases {
      let method: TrainingMethod = mode == .cut ? .cut : .fastcut
      #expect(method.configuration(.standard) as? CUTConfiguration == CUTConfiguration(mode: mode))
      for preset in [TrainingPreset.quick, .tiny] {
        let c = method.configuration(preset) as? CUTConfiguration
        let small = preset.configuration
        #expect(c?.mode == mode && c?.generator == small.generator)
        #expect(c?.discriminatorFilters == small.discriminatorFilters && c?.epochs == small.epochs)
        #expect(c?.decayEpochs == small.decayEpochs && c?.patches == 256 && c?.lambdaNCE == (mode == .cut ? 1 : 10))
      }
    }
  }
}
