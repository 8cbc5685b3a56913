// The ops of CUT's PatchNCE loss: each forward against a naive reference, each backward against central finite
// differences (gathering positions, the horizontal flip, batch concatenation and slicing, row L2 normalization,
// the PatchNCE logits and the cross-entropy against class 0).

import Autograd
import TestSupport
import Testing

@Suite struct PatchOpsTests {
  @Test func gatherPositionsPicksChannelVectors() {
    let x = randomTensor([2, 3, 4, 5], seed: 1)
    let ids = [7, 0, 19, 7]
    let y = gatherPositions(Variable(x), ids: ids).value
    #expect(y.shape == [8, 3])
    for b in 0..<2 {
      for (i, id) in ids.enumerated() {
        for c in 0..<3 { #expect(y[b * 4 + i, c] == x[b, c, id / 5, id % 5]) }
      }
    }
  }

  @Test func gatherPositionsBackwardMatchesFiniteDifferences() {
    // A repeated position checks that the backward adds up.
    let r = checkGradients([randomTensor([2, 3, 4, 5], seed: 2)]) { v in gatherPositions(v[0], ids: [3, 11, 3, 0, 19]) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func flipMirrorsColumnsAndIsAnInvolution() {
    let x = randomTensor([2, 3, 4, 5], seed: 3)
    let y = flippedHorizontally(Variable(x)).value
    for n in 0..<2 {
      for c in 0..<3 { for h in 0..<4 { for w in 0..<5 { #expect(y[n, c, h, w] == x[n, c, h, 4 - w]) } } }
    }
    #expect(flippedHorizontally(Variable(y)).value == x)
    let r = checkGradients([x]) { v in flippedHorizontally(v[0]) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func batchConcatenationAndSlicingBackwardMatchFiniteDifferences() {
    let (a, b) = (randomTensor([1, 2, 3, 3], seed: 4), randomTensor([2, 2, 3, 3], seed: 5))
    let joined = concatBatch([Variable(a), Variable(b)]).value
    #expect(joined.shape == [3, 2, 3, 3])
    #expect(Array(joined.scalars.prefix(a.count)) == a.scalars && Array(joined.scalars.dropFirst(a.count)) == b.scalars)
    let r = checkGradients([a, b]) { v in batchSlice(concatBatch([v[0], v[1]]), 1..<3) * 2 }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func l2NormalizedRowsMatchesNaiveAndFiniteDifferences() {
    let x = randomTensor([6, 5], seed: 6)
    let d = maxAbsDifference(l2NormalizedRows(Variable(x)).value, l2NormalizeRowsNaive(x, eps: 1e-7))
    #expect(d < 1e-6, "max |Δ| = \(d)")
    let r = checkGradients([awayFromZero([6, 5], seed: 7)], eps: 1e-3) { v in l2NormalizedRows(v[0]) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func crossEntropyClassZeroIsStableAndMatchesNaive() {
    let z = randomTensor([5, 7], seed: 8, low: -3, high: 3)
    let d = maxAbsDifference(crossEntropyClassZero(Variable(z)).value, crossEntropyClassZeroNaive(z))
    #expect(d < 1e-5, "max |Δ| = \(d)")
    // Logits of ±10/0.07 (PatchNCE's masked diagonal) overflow a plain exp in Float.
    let large = Tensor(shape: [2, 3], values: [140, 120, -142.9, -142.9, 130, 139])
    let y = crossEntropyClassZero(Variable(large)).value
    #expect(y.scalars.allSatisfy { $0.isFinite })
    #expect(abs(y[0] - 2.0611537e-9) < 1e-6 && abs(y[1] - 281.9) < 1e-3)
    let r = checkGradients([z], eps: 1e-3) { v in crossEntropyClassZero(v[0]) }
    #expect(r.failures.isEmpty, "\(r)")
  }

  @Test func patchLogitsMatchNaiveAndFiniteDifferences() {
    let (q, k) = (randomTensor([2 * 4, 3], seed: 9), randomTensor([2 * 4, 3], seed: 10))
    let logits = patchLogits(query: Variable(q), key: k, images: 2, temperature: 0.07).value
    #expect(logits.shape == [8, 5])
    let d = maxAbsDifference(logits, patchLogitsNaive(q, k, images: 2, temperature: 0.07, maskValue: -10))
    #expect(d < 1e-4, "max |Δ| = \(d)")
    let r = checkGradients([q], eps: 1e-3) { v in patchLogits(query: v[0], key: k, images: 2, temperature: 0.07) }
    #expect(r.failures.isEmpty, "\(r)")
  }
}
