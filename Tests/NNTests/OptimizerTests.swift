// Adam and SGD against a Double re-statement of torch.optim's update, exact save/restore of their state,
// and the learning-rate schedules' formulas.

import Foundation
import NN
import Testing

@Suite struct OptimizerTests {
  /// Gradients of f(w) = Σ (w − target)² · weights for the test's fixed quadratic.
  func quadraticGradient(_ w: Tensor) -> Tensor {
    Tensor(shape: w.shape) { g in for i in 0..<w.count { g[i] = 2 * (w[flat: i] - Float(i) * 0.3) * Float(i + 1) } }
  }

  @Test func adamMatchesTorchUpdateRule() {
    let w = Variable(Tensor(shape: [5], values: [0.5, -1, 2, 0, 3]), requiresGrad: true)
    var adam = Adam([NamedVariable("w", w)], learningRate: 2e-4, beta1: 0.5, beta2: 0.999, weightDecay: 0.01)
    // Reference in Double: torch.optim.Adam (L2 decay added to the gradient, bias-corrected step).
    var (rw, m, v) = (
      w.value.scalars.map(Double.init), [Double](repeating: 0, count: 5), [Double](repeating: 0, count: 5)
    )
    for t in 1...50 {
      w.grad = quadraticGradient(w.value)
      let g = w.grad!.scalars.enumerated().map { Double($1) + 0.01 * rw[$0] }
      adam.update()
      for i in 0..<5 {
        m[i] = 0.5 * m[i] + 0.5 * g[i]
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
        let stepSize = 2e-4 / (1 - pow(0.5, Double(t)))
        rw[i] -= stepSize * m[i] / (v[i].squareRoot() / (1 - pow(0.999, Double(t))).squareRoot() + 1e-8)
      }
      // Keep the reference on our trajectory so rounding does not accumulate.
      rw = w.value.scalars.map(Double.init).enumerated().map { i, ours in
        #expect(abs(ours - rw[i]) < 1e-6, "step \(t) element \(i)")
        return ours
      }
    }
    #expect(adam.step == 50)
  }

  @Test func sgdWithMomentumMatchesTorchUpdateRule() {
    let w = Variable(Tensor(shape: [3], values: [1, 2, 3]), requiresGrad: true)
    var sgd = SGD([NamedVariable("w", w)], learningRate: 0.1, momentum: 0.9)
    w.grad = Tensor(shape: [3], values: [1, 1, 1])
    sgd.update()  // buf = g
    #expect(w.value.scalars == [0.9, 1.9, 2.9])
    sgd.update()  // buf = 0.9·1 + 1 = 1.9
    #expect(zip(w.value.scalars, [0.71, 1.71, 2.71]).allSatisfy { abs($0 - $1) < 1e-6 })
  }

  @Test func adamStateRestoresExactly() throws {
    func makeRun() -> (Variable, Adam) {
      let w = Variable(Tensor(shape: [4], values: [1, -2, 3, 0.5]), requiresGrad: true)
      return (w, Adam([NamedVariable("layer.w", w)], learningRate: 0.01, beta1: 0.5))
    }
    var (w1, a1) = makeRun()
    for _ in 0..<6 {
      w1.grad = quadraticGradient(w1.value)
      a1.update()
    }
    // Stop after 3, save, restore into a fresh optimizer, continue 3.
    var (w2, a2) = makeRun()
    for _ in 0..<3 {
      w2.grad = quadraticGradient(w2.value)
      a2.update()
    }
    let saved = (a2.state, w2.value)
    var (w3, a3) = makeRun()
    w3.value = saved.1
    try a3.restore(saved.0)
    for _ in 0..<3 {
      w3.grad = quadraticGradient(w3.value)
      a3.update()
    }
    #expect(w3.value == w1.value)
    #expect(a3.step == 6)
  }

  @Test func restoringAMismatchedStateNamesTheSlot() {
    let w = Variable(Tensor(zeros: [2]), requiresGrad: true)
    var adam = Adam([NamedVariable("w", w)])
    #expect(throws: OptimizerStateError.mismatch(name: "w.exp_avg", reason: "missing")) {
      try adam.restore(OptimizerState(step: 1, tensors: []))
    }
  }

  @Test func linearScheduleDecaysWithoutTheZeroLastEpoch() {
    let s = LearningRateSchedule.linear(constantEpochs: 100, decayEpochs: 100)
    #expect(s.multiplier(epoch: 1) == 1 && s.multiplier(epoch: 100) == 1)
    #expect(abs(s.multiplier(epoch: 101) - 100.0 / 101) < 1e-6)
    #expect(abs(s.multiplier(epoch: 200) - 1.0 / 101) < 1e-6)
    #expect(LearningRateSchedule.step(every: 50, gamma: 0.1).multiplier(epoch: 51) == Float(0.1))
    #expect(LearningRateSchedule.cosine(totalEpochs: 10).multiplier(epoch: 1) == 1)
    #expect(abs(LearningRateSchedule.cosine(totalEpochs: 10).multiplier(epoch: 6) - 0.5) < 1e-6)
  }
}
