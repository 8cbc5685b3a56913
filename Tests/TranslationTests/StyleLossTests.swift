// The style, content and total-variation losses against naive Double references, and their gradients with
// respect to the image against central finite differences.

import TestSupport
import Testing
import Translation

@Suite struct StyleLossTests {
  @Test func styleLayerLossMatchesNaiveReference() {
    let features = randomTensor([2, 4, 5, 3], seed: 1)
    let target = gramNaive(randomTensor([1, 4, 6, 6], seed: 2))
    let t = target.reshaped([4, 4])
    var mse = 0.0
    var norm = 0.0
    for i in 0..<16 { norm += Double(t[flat: i]) * Double(t[flat: i]) }
    for b in 0..<2 {
      let g = referenceGram(Tensor(shape: [1, 4, 5, 3], values: Array(features.scalars[(b * 60)..<((b + 1) * 60)])))
      for i in 0..<4 { for j in 0..<4 { mse += (g[i][j] - Double(t[i, j])) * (g[i][j] - Double(t[i, j])) } }
    }
    let expected = (mse / 32) / (norm / 16)
    let value = Double(styleLayerLoss(Variable(features), target: t).scalar)
    #expect(abs(value - expected) <= 1e-5 * expected, "\(value) vs \(expected)")
  }

  @Test func contentLossMatchesNaiveReference() {
    let (x, y) = (randomTensor([1, 3, 4, 5], seed: 3), randomTensor([1, 3, 4, 5], seed: 4))
    let mse = zip(x.scalars, y.scalars).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / 60
    let norm = y.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / 60
    let value = Double(contentLoss(Variable(x), target: y).scalar)
    #expect(abs(value - mse / norm) <= 1e-5 * mse / norm)
  }

  @Test func totalVariationMatchesNaiveReference() {
    let x = randomTensor([2, 3, 5, 7], seed: 5)
    var (h, v) = (0.0, 0.0)
    for p in 0..<6 {
      for i in 0..<5 {
        for j in 0..<7 {
          let here = Double(x[flat: (p * 5 + i) * 7 + j])
          if j < 6 {
            h += (Double(x[flat: (p * 5 + i) * 7 + j + 1]) - here) * (Double(x[flat: (p * 5 + i) * 7 + j + 1]) - here)
          }
          if i < 4 {
            v += (Double(x[flat: (p * 5 + i + 1) * 7 + j]) - here) * (Double(x[flat: (p * 5 + i + 1) * 7 + j]) - here)
          }
        }
      }
    }
    let expected = h / Double(6 * 5 * 6) + v / Double(6 * 4 * 7)
    let value = Double(totalVariation(Variable(x)).scalar)
    #expect(abs(value - expected) <= 1e-5 * expected, "\(value) vs \(expected)")
  }

  /// Central differences of a scalar loss at sampled pixels, accumulated in Double, against autograd.
  func expectGradientMatches(_ image: Tensor, eps: Float = 1e-2, _ f: (Variable) -> Variable) {
    let x = Variable(image, requiresGrad: true)
    f(x).backward()
    let analytic = x.grad!
    let scale = analytic.scalars.map { abs(Double($0)) }.max()!
    var rng = SeededGenerator(seed: 9)
    for _ in 0..<24 {
      let p = Int(rng.next() % UInt64(image.count))
      var plus = image
      var minus = image
      plus[flat: p] += eps
      minus[flat: p] -= eps
      let (lp, lm) = GradientMode.withoutGradients {
        (Double(f(Variable(plus)).scalar), Double(f(Variable(minus)).scalar))
      }
      let numeric = (lp - lm) / (2 * Double(eps))
      #expect(
        abs(Double(analytic[flat: p]) - numeric) <= 2e-2 * scale + 2e-2 * abs(numeric),
        "pixel \(p): analytic \(analytic[flat: p]) numeric \(numeric)")
    }
  }

  @Test func styleLossGradientMatchesFiniteDifferences() {
    let loss = StyleLoss(network: StyleFixtures.network, styleImages: [StyleFixtures.style(size: 32)])
    expectGradientMatches(StyleFixtures.content(size: 32)) { loss($0) }
  }

  @Test func contentAndTotalVariationGradientsMatchFiniteDifferences() {
    let target = StyleFixtures.network.features(Variable(StyleFixtures.style(size: 32)), content: true).content!.value
    expectGradientMatches(StyleFixtures.content(size: 32)) { x in
      contentLoss(StyleFixtures.network.features(x, content: true).content!, target: target) + totalVariation(x)
    }
  }

  @Test func styleLossIsZeroAtItsTargetAndSkipsMissingLevels() {
    let style = StyleFixtures.style(size: 32)
    let loss = StyleLoss(network: StyleFixtures.network, styleImages: [style])
    #expect(loss(Variable(style)).scalar < 1e-6)
    // 16 px has levels 0 and 1 only (level 2 would be 4 px): still a finite, positive loss.
    let small = loss(Variable(StyleFixtures.content(size: 16))).scalar
    #expect(small.isFinite && small > 0)
  }

  @Test func averagedTargetsAreTheMeanOfPerImageGrams() {
    let (a, b) = (StyleFixtures.style(size: 32), StyleFixtures.content(size: 32))
    let both = StyleLoss(network: StyleFixtures.network, styleImages: [a, b])
    let (ta, tb) = (
      StyleLoss(network: StyleFixtures.network, styleImages: [a]).targets,
      StyleLoss(network: StyleFixtures.network, styleImages: [b]).targets
    )
    for l in both.targets.indices {
      let worst = (0..<both.targets[l].count).map {
        abs(both.targets[l][flat: $0] - (ta[l][flat: $0] + tb[l][flat: $0]) / 2)
      }.max()!
      #expect(worst < 1e-6)
    }
  }
}
