// The engine against PyTorch itself: fixtures made by scripts/make_fixtures.py (torch, float32) hold inputs,
// outputs and the gradients of y.backward(grad_y). Forward and every gradient must match to max-abs 1e-5·scale.

import Autograd
import Foundation
import SafeTensors
import TestSupport
import Testing

/// Loads `Tests/AutogradTests/Fixtures/<name>.safetensors`.
func fixture(_ name: String) throws -> SafeTensorsFile {
  try SafeTensors.read(fixturePath("AutogradTests", "\(name).safetensors"))
}

/// Fails when ours and PyTorch's differ by more than `tolerance` relative to PyTorch's largest magnitude.
func expectClose(
  _ ours: Tensor?, _ theirs: Tensor, _ what: String, tolerance: Float = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let ours else {
    Issue.record("\(what): no value", sourceLocation: sourceLocation)
    return
  }
  #expect(ours.shape == theirs.shape, "\(what): shape", sourceLocation: sourceLocation)
  guard ours.shape == theirs.shape else { return }
  let scale = max(1, maxAbs(theirs))
  let difference = maxAbsDifference(ours, theirs)
  // FIXTURE_REPORT=1 prints every comparison (the figures quoted in notes and reviews).
  if ProcessInfo.processInfo.environment["FIXTURE_REPORT"] != nil { print("fixture \(what): max |Δ| = \(difference)") }
  #expect(
    difference <= tolerance * scale, "\(what): max |Δ| = \(difference) (scale \(scale))", sourceLocation: sourceLocation
  )
}

@Suite struct PyTorchFixtureTests {
  @Test(arguments: ["conv2d_k3s2p1", "conv2d_k7s1p0", "conv2d_k4s2p1", "conv2d_k3s1p2d2"])
  func conv2dMatchesPyTorch(_ name: String) throws {
    let f = try fixture(name)
    let t = f.tensors
    let o = ConvOptions(
      stride: Int(f.metadata["stride"]!)!, padding: Int(f.metadata["padding"]!)!,
      dilation: Int(f.metadata["dilation"]!)!)
    let (x, w) = (Variable(t["x"]!, requiresGrad: true), Variable(t["weight"]!, requiresGrad: true))
    let b = t["bias"].map { Variable($0, requiresGrad: true) }
    let y = conv2d(x, w, b, o)
    expectClose(y.value, t["y"]!, "\(name) y")
    y.backward(t["grad_y"]!)
    expectClose(x.grad, t["grad_x"]!, "\(name) grad_x")
    expectClose(w.grad, t["grad_weight"]!, "\(name) grad_weight")
    if let b { expectClose(b.grad, t["grad_bias"]!, "\(name) grad_bias") }
  }

  @Test func convTranspose2dMatchesPyTorch() throws {
    let f = try fixture("conv_transpose2d_k3s2p1op1")
    let t = f.tensors
    let o = ConvOptions(stride: 2, padding: 1, outputPadding: 1)
    #expect(f.metadata["output_padding"] == "1" && f.metadata["stride"] == "2")
    let (x, w, b) = (
      Variable(t["x"]!, requiresGrad: true), Variable(t["weight"]!, requiresGrad: true),
      Variable(t["bias"]!, requiresGrad: true)
    )
    let y = convTranspose2d(x, w, b, o)
    expectClose(y.value, t["y"]!, "y")
    y.backward(t["grad_y"]!)
    expectClose(x.grad, t["grad_x"]!, "grad_x")
    expectClose(w.grad, t["grad_weight"]!, "grad_weight")
    expectClose(b.grad, t["grad_bias"]!, "grad_bias")
  }

  @Test func instanceNormMatchesPyTorch() throws {
    for (name, affine) in [("instance_norm_affine", true), ("instance_norm_plain", false)] {
      let t = try fixture(name).tensors
      let x = Variable(t["x"]!, requiresGrad: true)
      let w = affine ? Variable(t["weight"]!, requiresGrad: true) : nil
      let b = affine ? Variable(t["bias"]!, requiresGrad: true) : nil
      let y = instanceNorm(x, weight: w, bias: b)
      expectClose(y.value, t["y"]!, "\(name) y")
      y.backward(t["grad_y"]!)
      expectClose(x.grad, t["grad_x"]!, "\(name) grad_x", tolerance: 2e-5)
      if affine {
        expectClose(w?.grad, t["grad_weight"]!, "\(name) grad_weight")
        expectClose(b?.grad, t["grad_bias"]!, "\(name) grad_bias")
      }
    }
  }

  @Test func batchNormTrainingMatchesPyTorch() throws {
    let t = try fixture("batch_norm_train").tensors
    let (x, w, b) = (
      Variable(t["x"]!, requiresGrad: true), Variable(t["weight"]!, requiresGrad: true),
      Variable(t["bias"]!, requiresGrad: true)
    )
    var mean = t["running_mean"]!
    var variance = t["running_var"]!
    let y = batchNormTraining(x, weight: w, bias: b, runningMean: &mean, runningVar: &variance)
    expectClose(y.value, t["y"]!, "y")
    expectClose(mean, t["running_mean_after"]!, "running_mean")
    expectClose(variance, t["running_var_after"]!, "running_var")
    y.backward(t["grad_y"]!)
    expectClose(x.grad, t["grad_x"]!, "grad_x", tolerance: 2e-5)
    expectClose(w.grad, t["grad_weight"]!, "grad_weight")
    expectClose(b.grad, t["grad_bias"]!, "grad_bias")
  }

  @Test func reflectionPadMatchesPyTorch() throws {
    let t = try fixture("reflection_pad").tensors
    let x = Variable(t["x"]!, requiresGrad: true)
    let y = pad2d(x, EdgePadding(3), mode: .reflect)
    expectClose(y.value, t["y"]!, "y", tolerance: 0)
    y.backward(t["grad_y"]!)
    expectClose(x.grad, t["grad_x"]!, "grad_x")
  }

  @Test func convNormReluTransposedChainMatchesPyTorch() throws {
    let t = try fixture("chain").tensors
    let x = Variable(t["x"]!, requiresGrad: true)
    let names = ["conv.weight", "conv.bias", "convt.weight", "convt.bias"]
    let p = Dictionary(uniqueKeysWithValues: names.map { ($0, Variable(t[$0]!, requiresGrad: true)) })
    let h = relu(
      instanceNorm(conv2d(x, p["conv.weight"]!, p["conv.bias"]!, ConvOptions(padding: 1)), weight: nil, bias: nil))
    let y = convTranspose2d(
      h, p["convt.weight"]!, p["convt.bias"]!, ConvOptions(stride: 2, padding: 1, outputPadding: 1))
    expectClose(y.value, t["y"]!, "y")
    y.backward(t["grad_y"]!)
    expectClose(x.grad, t["grad_x"]!, "grad_x", tolerance: 2e-5)
    for n in names { expectClose(p[n]!.grad, t["grad_\(n)"]!, "grad_\(n)", tolerance: 2e-5) }
  }
}
