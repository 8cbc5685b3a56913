// The installed models: every .safetensors file in the folders of a search path (ModelSearchPath.swift),
// described from its header, and the lookup `--from A --to B` → (file, direction): a CycleGAN model trained on
// {A, B} serves both ways (G_A: A → B), a pix2pix model only A → B. The first folder holding a fitting model wins.

import Foundation

/// A model file and the generator in it that translates the asked way.
public struct ModelChoice: Sendable, Equatable {
  public let model: ModelDescription
  public let direction: Direction
}

/// Why no model could be chosen.
public enum ModelLookupError: Error, Equatable, CustomStringConvertible {
  /// A folder named on purpose (`--models-dir`) does not exist or cannot be listed.
  case folderMissing(path: String)
  /// No model in the `searched` folders knows both domains; `available` lists the pairs that exist ("a ↔ b").
  case unknownPair(from: String, to: String, searched: [String], available: [String])
  /// `--from` and `--to` name the same domain.
  case sameDomain(String)
  /// A model file was given but does not know the domains asked for.
  case domainsNotInModel(path: String, from: String, to: String, has: String)
  /// The only models of the two domains translate the other way (one-direction models such as pix2pix).
  case onlyOtherDirection(from: String, to: String, paths: [String])

  public var description: String {
    switch self {
    case .folderMissing(let path):
      "no models folder at \(path) (use --models-dir, or --model FILE)"
    case .unknownPair(let from, let to, let searched, let available):
      "no model translates \(from) → \(to) (searched \(searched.joined(separator: ", "))). "
        + (available.isEmpty ? "No models are installed there." : "Available: \(available.joined(separator: ", ")).")
        + " Train one with: translate train --from \(from) --to \(to)"
    case .sameDomain(let domain): "--from and --to are both '\(domain)'"
    case .domainsNotInModel(let path, let from, let to, let has):
      "\(path): translates \(has), not \(from) → \(to)"
    case .onlyOtherDirection(let from, let to, let paths):
      "\(paths.joined(separator: ", ")): translates only \(to) → \(from) (a one-direction model, such as pix2pix); "
        + "no model translates \(from) → \(to). Train one with: translate train --from \(from) --to \(to)"
    }
  }
}

/// The models of the folders of a search path, described without loading weights.
public struct ModelRegistry: Sendable {
  /// The folders searched, in order, with the models found in each (sorted by file name).
  public let listings: [(folder: ModelFolder, models: [ModelDescription])]
  /// Our model files, plain generator state_dicts and style networks: every folder's, in search order.
  public var models: [ModelDescription] { listings.flatMap(\.models) }
  /// Model files that are no usable model, with the reason.
  public let unusable: [ModelFileError]

  /// One folder, which must exist.
  public init(folder: String) throws(ModelLookupError) { try self.init(searchPath: .only(folder)) }

  /// Lists every existing folder of `searchPath` (not recursive) for model files (`isModelFileName`) and reads
  /// each header.
  /// A missing `--models-dir` folder is an error (a typo should not fall through to other folders); other
  /// missing folders are searched and found empty.
  public init(searchPath: ModelSearchPath) throws(ModelLookupError) {
    var listings: [(folder: ModelFolder, models: [ModelDescription])] = []
    var unusable: [ModelFileError] = []
    for folder in searchPath.folders {
      guard folder.exists, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
        if folder.source == .option { throw .folderMissing(path: folder.path) }
        listings.append((folder, []))
        continue
      }
      var models: [ModelDescription] = []
      for name in names.sorted() where Self.isModelFileName(name) {
        let path = (folder.path as NSString).appendingPathComponent(name)
        do { models.append(try ModelDescription.read(path)) } catch { unusable.append(error) }
      }
      listings.append((folder, models))
    }
    self.listings = listings
    self.unusable = unusable
  }

  /// `*.safetensors`, and PyTorch checkpoints `*.pth` / `*.pt`; hidden files (such as our temporary files) are not.
  static func isModelFileName(_ name: String) -> Bool {
    let lower = name.lowercased()
    return !name.hasPrefix(".") && [".safetensors", ".pth", ".pt"].contains { lower.hasSuffix($0) }
  }

  /// Distinct domain pairs, "a ↔ b", in search order.
  public var pairs: [String] {
    var seen: [String] = []
    for m in models where m.domainA != nil && !seen.contains(m.domains) { seen.append(m.domains) }
    return seen
  }

  /// The model for `from` → `to` from the first folder that has one: a file with domains {from, to} in either
  /// order; G_A when its domain A is `from`, else G_B. Several candidates in that folder: the one trained longest
  /// (most iterations), then the first by name.
  public func find(from: String, to: String) throws(ModelLookupError) -> ModelChoice {
    guard from != to else { throw .sameDomain(from) }
    var otherWay: [String] = []
    for listing in listings {
      let matching = listing.models.compactMap { m -> ModelChoice? in
        guard let direction = Self.direction(of: m, from: from, to: to) else { return nil }
        return ModelChoice(model: m, direction: direction)
      }
      // A one-direction model serves only its own way.
      let candidates = matching.filter { $0.model.directions.contains($0.direction) }
      otherWay += matching.filter { !$0.model.directions.contains($0.direction) }.map(\.model.path)
      guard let best = candidates.max(by: { ($0.model.iterations ?? 0) < ($1.model.iterations ?? 0) }) else {
        continue
      }
      // max(by:) returns the last of equals; prefer the first by name among the longest trained.
      return candidates.first { ($0.model.iterations ?? 0) == (best.model.iterations ?? 0) } ?? best
    }
    if !otherWay.isEmpty { throw .onlyOtherDirection(from: from, to: to, paths: otherWay) }
    throw .unknownPair(from: from, to: to, searched: listings.map(\.folder.path), available: pairs)
  }
  /// The direction of `model` that maps `from` to `to`, or nil when the model has other domains. A
  /// one-direction model (pix2pix, CUT) still answers .bToA for its reversed pair: `find` names it in its refusal.
  public static func direction(of model: ModelDescription, from: String, to: String) -> Direction? {
    if model.domainA == from && model.domainB == to { return .aToB }
    if model.domainA == to && model.domainB == from { return .bToA }
    return nil
  }
}
