// The tape itself: accumulation over fan-out, ordering, and the inference path that records nothing.

import Autograd
import Testing

@Suite struct TapeTests {
  @Test func fanOutAccumulatesGradients() {
    let x = Variable(Tensor(shape: [2], values: [3, -1]), requiresGrad: true)
    // y = x·x + x  →  dy/dx = 2x + 1
    sum(x * x + x).backward()
    #expect(x.grad?.scalars == [7, -1])
  }

  @Test func diamondGraphVisitsEachNodeOnce() {
    let x = Variable(Tensor(shape: [1], values: [2]), requiresGrad: true)
    let a = x * 3
    let b = x * 5
    let y = a * b  // 15x² → 30x = 60
    sum(y).backward()
    #expect(x.grad?.scalars == [60])
  }

  @Test func inferenceRecordsNoTapeAndNoGradients() {
    let w = Variable(Tensor(repeating: 1, shape: [1, 1, 3, 3]), requiresGrad: true)
    let x = Variable(Tensor(repeating: 1, shape: [1, 1, 5, 5]))
    let y = GradientMode.withoutGradients { conv2d(x, w, nil, ConvOptions(padding: 1)) }
    #expect(!y.requiresGrad)
    sum(y).backward()
    #expect(w.grad == nil)
  }

  @Test func constantsReceiveNoGradient() {
    let c = Variable(Tensor(repeating: 2, shape: [3]))
    let p = Variable(Tensor(repeating: 1, shape: [3]), requiresGrad: true)
    sum(c * p).backward()
    #expect(c.grad == nil && p.grad?.scalars == [2, 2, 2])
  }

  @Test func deepChainsDoNotOverflowTheStack() {
    let x = Variable(Tensor(repeating: 1, shape: [1]), requiresGrad: true)
    var y = x
    for _ in 0..<20_000 { y = y * 1 }
    sum(y).backward()
    #expect(x.grad?.scalars == [1])
  }
}
