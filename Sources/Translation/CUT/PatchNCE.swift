// The PatchNCE loss of CUT (Park et al. ECCV 2020, eq. 2–3; taesungp's patchnce.py): each query patch of the
// translation must pick its own input patch (the positive) among the other patches of the same image.

/// query: (N·P, D) unit rows from G(x)'s features (differentiable), key: (N·P, D) unit rows from x's features
/// (a constant: patchnce.py detaches it), N images of P patches each → shape [], the mean over the N·P rows
/// of −log softmax(⟨q, k⁺⟩/τ, ⟨q, k⁻⟩/τ …)₀ (CrossEntropyLoss(reduction='none'), then .mean()).
/// Negatives come from the same image only (--nce_includes_all_negatives_from_minibatch False); a patch's
/// similarity to its own key among the negatives is masked to −10 (≈ e⁻¹⁰ after the exponential).
public func patchNCELoss(query: Variable, key: Tensor, images: Int, temperature: Float) -> Variable {
  mean(crossEntropyClassZero(patchLogits(query: query, key: key, images: images, temperature: temperature)))
}
