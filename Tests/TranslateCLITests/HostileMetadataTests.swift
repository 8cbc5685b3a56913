// The hostile-metadata sweep: a real model file and a real checkpoint (from a two-step `translate train`) have
// every metadata value rewritten, one at a time, to hostile values (empty, -1, huge, wrong JSON type, malformed
// JSON; inside JSON values every field too), written with the project's safetensors writer; the real binary
// must answer each with exit status 0 or 1 and a message on stderr — never a signal or a trap.

import Foundation
import Testing
import Translation

/// One rewritten file: which metadata value was changed, to what, and where the file is.
struct HostileCase: Sendable {
  let key: String
  let value: String
  let path: String
  /// The value is one the reader must refuse (exit 1), not merely survive.
  let mustFail: Bool
}

enum HostileMetadata {
  /// Replacements for a whole metadata value (the brief's list).
  static let values = ["", "-1", "99999999999999999999", #"{"resnet":{}}"#, "[1]", "{"]
  /// Replacements for one field inside a JSON metadata value: values that decode (and must be range-checked)
  /// and one of the wrong type.
  static var fieldValues: [Any] { [-1, 0, 1_000_000, "x"] }

  /// Every metadata value of `source` rewritten one at a time, each file under `folder`; `mustFail` says which
  /// rewrites the reader must refuse. Fields of JSON object values are rewritten one at a time as well.
  static func rewrite(
    _ source: String, into folder: String, name: (Int) -> String,
    mustFail: (_ key: String, _ value: String, _ nested: Bool) -> Bool
  ) throws -> [HostileCase] {
    let file = try SafeTensors.read(source)
    let tensors = try file.names.map { ($0, try file.tensor($0)) }
    // (metadata key, what was changed — the key or key.field.path —, new value of the key, nested)
    var variants: [(key: String, label: String, value: String, nested: Bool)] = []
    for (key, original) in file.metadata.sorted(by: { $0.key < $1.key }) {
      variants += values.map { (key, key, $0, false) }
      guard let object = try? JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any] else {
        continue
      }
      for path in leafPaths(object) {
        for value in fieldValues {
          let changed = try JSONSerialization.data(
            withJSONObject: replacing(object, at: path, with: value), options: .sortedKeys)
          variants.append(
            (key, "\(key).\(path.joined(separator: "."))", String(decoding: changed, as: UTF8.self), true))
        }
      }
    }
    return try variants.enumerated().map { i, variant in
      var metadata = file.metadata
      metadata[variant.key] = variant.value
      let path = folder + "/" + name(i)
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      try SafeTensors.write(tensors, metadata: metadata, to: path)
      return HostileCase(
        key: variant.label, value: variant.value, path: path,
        mustFail: mustFail(variant.key, variant.value, variant.nested))
    }
  }

  /// Paths of the non-object values in a JSON object, depth first.
  static func leafPaths(_ object: [String: Any]) -> [[String]] {
    object.keys.sorted().flatMap { key -> [[String]] in
      guard let inner = object[key] as? [String: Any] else { return [[key]] }
      return leafPaths(inner).map { [key] + $0 }
    }
  }

  static func replacing(_ object: [String: Any], at path: [String], with value: Any) -> [String: Any] {
    var copy = object
    if path.count == 1 {
      copy[path[0]] = value
    } else {
      copy[path[0]] = replacing(object[path[0]] as? [String: Any] ?? [:], at: Array(path.dropFirst()), with: value)
    }
    return copy
  }

  /// Runs `work` over `cases` on a few processes at a time.
  static func runAll(_ cases: [HostileCase], _ work: @Sendable (Int, HostileCase) throws -> RunResult) -> [RunResult?] {
    let results = Results(count: cases.count)
    let workers = 4
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for i in stride(from: worker, to: cases.count, by: workers) { results.set(i, try? work(i, cases[i])) }
    }
    return results.all
  }

  final class Results: @unchecked Sendable {
    private var values: [RunResult?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: RunResult?) {
      lock.lock()
      values[i] = r
      lock.unlock()
    }
    var all: [RunResult?] {
      lock.lock()
      defer { lock.unlock() }
      return values
    }
  }
}

/// Status 0, or 1 with a message on stderr; never a signal (status > 128) or ArgumentParser's usage status.
func expectCleanOutcome(_ result: RunResult?, _ c: HostileCase, _ command: String) {
  guard let result else {
    Issue.record("\(command) \(c.key) = \(c.value): could not run")
    return
  }
  let label = "\(command): \(c.key) = '\(c.value)' → status \(result.status), stderr: \(result.stderr.prefix(300))"
  #expect(result.status == 0 || result.status == 1, "\(label)")
  if result.status == 1 { #expect(!result.stderr.isEmpty, "\(label)") }
  if c.mustFail { #expect(result.status == 1, "\(label)") }
}

@Suite struct HostileMetadataTests {
  /// A two-step tiny run with dropout (so the checkpoint also carries the dropout generators' states).
  static func trainTinyRun(_ w: Workspace) throws {
    for domain in ["a", "b"] {
      for i in 0..<3 { try w.writeImage("data/\(domain)/\(i).png", width: 32, height: 32) }
    }
    let run = try CLI.run(
      [
        "train", "--from", "a", "--to", "b", "--dataroot", "data", "--preset", "tiny", "--dropout",
        "--max-steps", "2", "--runs-dir", "runs", "--models-dir", "trained",
      ], in: w.root)
    try #require(run.status == 0, "\(run.stderr)")
  }

  @Test func everyHostileMetadataValueGivesAnErrorNotACrash() throws {
    let w = try Workspace()
    defer { w.remove() }
    try Self.trainTinyRun(w)
    try w.writeImage("in.png", width: 32, height: 32)

    // The model: `translate --model F` on each file, and one `translate models` over the folder of all of them.
    // Keys the loader reads must be refused; others (date, epochs, …) may be harmless, and any string is a
    // domain name or a format name (unknown formats are detected from the tensors, as PyTorch's "pt").
    let readKeys: Set = ["version", "architecture", "image_size", "iterations"]
    let models = try HostileMetadata.rewrite(
      w.path("trained/a-b.safetensors"), into: w.path("hostile-models"),
      name: { "m\($0).safetensors" }
    ) { key, value, nested in
      nested || readKeys.contains(key) || key.hasPrefix("domain_") && value.isEmpty
    }
    let modelRuns = HostileMetadata.runAll(models) { i, c in
      try CLI.run(["--model", c.path, "in.png", "-o", "out-\(i).png"], in: w.root)
    }
    for (c, result) in zip(models, modelRuns) { expectCleanOutcome(result, c, "translate --model") }
    let listing = try CLI.run(["models", "--models-dir", "hostile-models"], in: w.root)
    #expect(listing.status == 1, "\(listing.stderr.prefix(500))")
    for c in models where c.mustFail {
      let listed = "unusable: hostile-models/\((c.path as NSString).lastPathComponent):"
      #expect(listing.stderr.contains(listed), "translate models: \(c.key) = '\(c.value)' not reported")
    }

    // The checkpoint: `translate train --resume` on each, in a run folder of its own. Every top-level value is
    // read; a field inside the configuration may hold a legal value (then the run resumes and stops at once).
    let checkpoints = try HostileMetadata.rewrite(
      w.path("runs/a-b/checkpoint.safetensors"), into: w.path("hostile-runs"),
      name: { "r\($0)/a-b/checkpoint.safetensors" }
    ) { _, _, nested in !nested }
    let resumeRuns = HostileMetadata.runAll(checkpoints) { i, _ in
      try CLI.run(
        [
          "train", "--from", "a", "--to", "b", "--dataroot", "data", "--preset", "tiny", "--resume",
          "--max-steps", "2", "--runs-dir", "hostile-runs/r\(i)", "--models-dir", "hostile-runs/r\(i)/models",
        ],
        in: w.root)
    }
    for (c, result) in zip(checkpoints, resumeRuns) { expectCleanOutcome(result, c, "translate train --resume") }
    #expect(
      models.count > 80 && checkpoints.count > 150, "\(models.count) model files, \(checkpoints.count) checkpoints")
  }
}
