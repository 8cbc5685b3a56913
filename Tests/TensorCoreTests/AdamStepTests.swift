// The Adam element loop in C (CKernels/optimizers.c) against the scalar formula written out in Swift.

import Foundation
import TestSupport
import Testing

@testable import TensorCore

@Suite struct AdamStepTests {
  /// The bits of the scalar formula (each operation rounded, no fused multiply-add) over the vector body and the
  /// scalar tail (37 = 4·8 + 5 elements), with and without weight decay, at the first step and a later one.
  @Test(arguments: [(Float(0), 1), (Float(0.01), 1), (Float(0), 7), (Float(0.03), 40)])
  func adamStepHasTheBitsOfTheScalarFormula(decay: Float, step: Int) {
    let count = 37
    let w0 = randomTensor([count], seed: 70, low: -1, high: 1).scalars
    let g = randomTensor([count], seed: 71, low: -0.5, high: 0.5).scalars
    let m0 = randomTensor([count], seed: 72, low: -0.1, high: 0.1).scalars
    let v0 = randomTensor([count], seed: 73, low: 0, high: 0.01).scalars
    let (beta1, beta2, lr, eps): (Float, Float, Float, Float) = (0.5, 0.999, 2e-4, 1e-8)
    let bias1 = 1 - pow(Double(beta1), Double(step))
    let bias2Root = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
    let stepSize = Float(Double(lr) / bias1)

    var (we, me, ve) = (w0, m0, v0)
    for j in 0..<count {
      let gj = decay == 0 ? g[j] : g[j] + decay * we[j]
      me[j] += (1 - beta1) * (gj - me[j])
      ve[j] = ve[j] * beta2 + (1 - beta2) * gj * gj
      we[j] -= stepSize * (me[j] / (ve[j].squareRoot() / bias2Root + eps))
    }

    var (w, m, v) = (w0, m0, v0)
    let coefficients = AdamCoefficients(
      beta1: beta1, beta2: beta2, stepSize: stepSize, bias2Root: bias2Root, eps: eps, weightDecay: decay)
    w.withUnsafeMutableBufferPointer { wp in
      m.withUnsafeMutableBufferPointer { mp in
        v.withUnsafeMutableBufferPointer { vp in
          adamStep(
            weights: wp.baseAddress!, firstMoment: mp.baseAddress!, secondMoment: vp.baseAddress!, gradient: g,
            count: count, coefficients)
        }
      }
    }
    for (result, expected) in [(w, we), (m, me), (v, ve)] {
      #expect(zip(result, expected).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
    #expect(w != w0)
  }
}
