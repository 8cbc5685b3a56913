// CUT's feature network F: taesungp's PatchSampleF with --netF mlp_sample (networks.py). Per contrasted layer,
// rows at sampled spatial positions go through Linear(C, width)–ReLU–Linear(width, width) and are L2-normalized.

/// Projection heads `mlp_0`, `mlp_1`, … (state_dict names as PatchSampleF: `mlp_0.0.weight`, `mlp_0.2.bias`).
public struct PatchSampler {
  /// One head per contrasted layer, in the order of the configuration's layers.
  public let heads: [Named]

  /// Heads for features with `channels[i]` channels, each mapping to `width` (--netF_nc). Weights zero until
  /// initialized (`initializeWeights(sampler.network, …)`, as init_net does once the heads exist).
  public init(channels: [Int], width: Int) {
    heads = channels.enumerated().map { i, c in
      Named("mlp_\(i)", Sequential([Linear(c, width), ReLU(), Linear(width, width)]))
    }
  }

  /// The heads as one layer, for state_dicts, initialization and optimizers (its call is the identity).
  public var network: any Layer { HeadList(heads: heads) }
  public var parameters: [NamedVariable] { network.parameters }

  /// features[i]: (N, Cᵢ, Hᵢ, Wᵢ), positions[i]: (Pᵢ) ids in [0, Hᵢ·Wᵢ) → [(N·Pᵢ, width)], unit rows.
  public func callAsFunction(_ features: [Variable], positions: [[Int]]) -> [Variable] {
    precondition(
      features.count == heads.count && positions.count == heads.count,
      "PatchSampler: \(features.count) feature maps and \(positions.count) position lists for \(heads.count) heads")
    return zip(heads, zip(features, positions)).map { head, pair in
      l2NormalizedRows(head(gatherPositions(pair.0, ids: pair.1)))
    }
  }

  /// For each plane size Hᵢ·Wᵢ, the first min(count, Hᵢ·Wᵢ) entries of a uniform random permutation of its
  /// positions (PatchSampleF's `np.random.permutation(H·W)[:num_patches]`; ours draws from `rng`).
  public static func drawPositions(planes: [Int], count: Int, using rng: inout some RandomNumberGenerator) -> [[Int]] {
    planes.map { plane in
      var ids = Array(0..<plane)
      let kept = min(count, plane)
      // The first `kept` steps of a Fisher–Yates shuffle give a uniform prefix.
      for i in 0..<kept { ids.swapAt(i, Int.random(in: i..<plane, using: &rng)) }
      return Array(ids.prefix(kept))
    }
  }
}

/// Heads under their own names with no computation of their own: what a state_dict and Adam see of F.
private struct HeadList: Layer {
  let heads: [Named]
  func callAsFunction(_ x: Variable) -> Variable { x }
  var parameters: [NamedVariable] { heads.flatMap(\.parameters) }
  var sublayers: [any Layer] { heads }
}
