// Differentiable gathering of sampled spatial positions into rows: the sampling half of taesungp's
// PatchSampleF (CUT, Park et al. ECCV 2020). The backward scatter-adds into a zero feature map.

/// x: (N, C, H, W), ids: (P) positions in [0, H·W) (row-major, `h·W + w`) → (N·P, C); row b·P + i is the
/// channel vector of image b at position ids[i]. Every image uses the same positions, as taesungp.
public func gatherPositions(_ x: Variable, ids: [Int]) -> Variable {
  precondition(x.value.rank == 4, "gatherPositions: expects (N, C, H, W), got \(x.shape)")
  let shape = x.shape
  let (n, c, plane) = (shape[0], shape[1], shape[2] * shape[3])
  precondition(ids.allSatisfy { $0 >= 0 && $0 < plane }, "gatherPositions: a position outside \(shape[2])×\(shape[3])")
  let xv = x.value
  let y = Tensor(shape: [n * ids.count, c]) {
    gatherPositionsForward(xv.pointer, n: n, c: c, plane: plane, ids: ids, $0.baseAddress!)
  }
  return Variable(y, parents: [x]) { dy in
    var dx = Tensor(zeros: shape)
    dx.withUnsafeMutableBufferPointer {
      gatherPositionsBackward(dy.pointer, n: n, c: c, plane: plane, ids: ids, $0.baseAddress!)
    }
    return [dx]
  }
}
