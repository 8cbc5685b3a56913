// The Gram matrix op: the GEMM kernel against its naive Double twin, and its backward against finite differences.

import Autograd
import TestSupport
import Testing

@Suite struct GramTests {
  @Test(arguments: [[1, 1, 1, 1], [1, 3, 5, 7], [2, 4, 3, 9], [2, 16, 11, 6]])
  func gramMatchesNaiveReference(_ shape: [Int]) {
    let x = randomTensor(shape, seed: 21)
    let fast = gram(Variable(x)).value
    let naive = gramNaive(x)
    #expect(fast.shape == [shape[0], shape[1], shape[1]])
    let worst = zip(fast.scalars, naive.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < 1e-5, "max |gram − naive| = \(worst)")
  }

  @Test func gramIsSymmetricAndScaledByFeatureCount() {
    // One channel of ones at 2×3: G = Σ 1 / (1·2·3) = 1.
    #expect(gram(Variable(Tensor(repeating: 1, shape: [1, 1, 2, 3]))).value.scalars == [1])
    let g = gram(Variable(randomTensor([1, 5, 4, 4], seed: 22))).value
    for i in 0..<5 { for j in 0..<5 { #expect(g[0, i, j] == g[0, j, i]) } }
  }

  @Test func gramBackwardMatchesFiniteDifferences() {
    let r = checkGradients([randomTensor([2, 3, 4, 5], seed: 23)], eps: 3e-3) { v in gram(v[0]) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func gramBackwardAccumulatesThroughFanOut() {
    // gram(x) used twice: the gradient doubles.
    let x = Variable(randomTensor([1, 2, 3, 3], seed: 24), requiresGrad: true)
    sum(gram(x)).backward()
    let once = x.grad!
    x.zeroGrad()
    sum(gram(x) + gram(x)).backward()
    let worst = zip(x.grad!.scalars, once.scalars).map { abs($0 - 2 * $1) }.max() ?? 0
    #expect(worst < 1e-5)
  }
}
