import NN
import Testing

@Suite struct NormStatisticsOverrideTests {
  @Test func recordedStatisticsReproduceTheUntiledResultOnACrop() {
    var rng = SeededGenerator(seed: 2)
    let net = Sequential([
      Conv2d(3, 4, kernel: 1), InstanceNorm2d(4, affine: true), ReLU(), Conv2d(4, 2, kernel: 1),
      InstanceNorm2d(2),
    ])
    initializeWeights(net, .normal, gain: 0.5, using: &rng)
    let x = Tensor.uniform([1, 3, 8, 12], low: -1, high: 1, using: &rng)
    let (full, stats) = LayerMode.inference { NormStatisticsOverride.recording { net(Variable(x)) } }
    #expect(stats.count == 2)
    // 1×1 convolutions: a crop normalized with the whole image's statistics equals the crop of the whole.
    let crop = Tensor(shape: [1, 3, 8, 5]) { out in
      for c in 0..<3 { for r in 0..<8 { for k in 0..<5 { out[(c * 8 + r) * 5 + k] = x[0, c, r, k + 4] } } }
    }
    let tiled = LayerMode.inference { NormStatisticsOverride.applying(stats) { net(Variable(crop)) } }
    for c in 0..<2 {
      for r in 0..<8 {
        for k in 0..<5 {
          #expect(abs(tiled.value[0, c, r, k] - full.value[0, c, r, k + 4]) < 1e-5)
        }
      }
    }
    // Without the override the crop is normalized by its own statistics and differs.
    let own = LayerMode.inference { net(Variable(crop)) }
    #expect(abs(own.value[0, 0, 0, 0] - full.value[0, 0, 0, 4]) > 1e-4)
  }
}
