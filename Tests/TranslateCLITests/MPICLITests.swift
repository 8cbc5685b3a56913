// The real binary under `mpirun --allow-run-as-root --oversubscribe -np 2` (as CI runs it): data-parallel
// training equals one process with the whole batch, resumes with the same or another number of processes, and
// sharded conversion translates each file once with one merged summary. Skipped without Open MPI (scripts/deps.sh
// --test installs it). `--shard i/n` without MPI runs everywhere.

import Foundation
import SafeTensors
import Testing

enum MPI {
  /// mpirun on PATH, if any.
  static let mpirun: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    .split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }

  /// `translate arguments…` as `processes` ranks of one job.
  static func run(_ processes: Int, _ arguments: [String], in directory: String) throws -> RunResult {
    try CLI.run(
      ["--allow-run-as-root", "--oversubscribe", "-np", "\(processes)", CLI.binary] + arguments, in: directory,
      binary: mpirun ?? "mpirun")
  }
}

/// Largest |a − b| of every tensor of two safetensors files, relative to the tensor's largest |a|.
func relativeDifferences(_ a: String, _ b: String) throws -> [(name: String, difference: Float)] {
  let (x, y) = (try SafeTensors.read(a), try SafeTensors.read(b))
  #expect(x.names == y.names)
  return try x.names.map { name in
    let (p, q) = (try x.tensor(name).scalars, try y.tensor(name).scalars)
    let scale = p.map(abs).max() ?? 0
    let worst = zip(p, q).map { abs($0 - $1) }.max() ?? 0
    return (name, scale > 0 ? worst / scale : worst)
  }
}

@Suite(.enabled(if: MPI.mpirun != nil, "mpirun is not installed (scripts/deps.sh --test installs Open MPI)"))
struct MPICLITests {
  /// A workspace with 4 + 4 rendered 32² day and night scenes.
  private func trainingWorkspace() throws -> Workspace {
    let w = try Workspace()
    let made = try CLI.run(["dataset", "day-night", "--count", "4", "--size", "32", "--seed", "3"], in: w.root)
    #expect(made.status == 0, "\(made.stderr)")
    return w
  }

  private func train(_ extra: [String], run: String) -> [String] {
    [
      "train", "--from", "day", "--to", "night", "--preset", "tiny", "--threads", "1", "--seed", "5",
      "--models-dir", "models-\(run)", "--runs-dir", "runs-\(run)",
    ] + extra
  }

  /// Without normalization layers every parameter has a real gradient. (With InstanceNorm the biases of the
  /// convolutions before it have a true gradient of 0, and Adam turns its rounding noise into ±lr steps that
  /// differ between any two summation orders: see the next test.)
  @Test func twoRanksOfBatchOneTrainAsOneRankOfBatchTwo() throws {
    let w = try trainingWorkspace()
    defer { w.remove() }
    let steps = ["--norm", "none", "--max-steps", "6", "--checkpoint-every", "3"]
    let two = try MPI.run(2, train(steps + ["--batch-size", "1"], run: "two"), in: w.root)
    #expect(two.status == 0, "\(two.stderr)")
    #expect(two.stdout.contains("2 processes × batch 1"), "\(two.stdout)")
    // Rank 0 alone prints: one start line, two checkpoints.
    #expect(two.stdout.components(separatedBy: "CycleGAN: training on").count == 2, "\(two.stdout)")
    #expect(two.stdout.components(separatedBy: "checkpoint at step").count == 3, "\(two.stdout)")
    let one = try CLI.run(train(steps + ["--batch-size", "2"], run: "one"), in: w.root)
    #expect(one.status == 0, "\(one.stderr)")
    for (name, difference) in try relativeDifferences(
      w.path("models-one/day-night.safetensors"), w.path("models-two/day-night.safetensors"))
    {
      #expect(difference <= 1e-5, "\(name): \(difference)")
    }
    // The checkpoints too: optimizer moments and image pools (the pools saw the same global batches).
    for (name, difference) in try relativeDifferences(
      w.path("runs-one/day-night/checkpoint.safetensors"), w.path("runs-two/day-night/checkpoint.safetensors"))
    where !name.hasSuffix("exp_avg_sq") {
      #expect(difference <= 1e-5, "\(name): \(difference)")
    }
  }

  /// The default InstanceNorm: the logged losses of the first steps agree (they are means over the global batch).
  /// Steps 1 and 2 within 1e-4; step 3 within 1e-2 only: by then Adam has taken two ±lr steps on the biases whose
  /// true gradient is 0 (see above), whose signs follow the rounding of each summation order — on AVX-512 kernels
  /// step 3's G_A differs by 2.7e-3 relative while steps 1 and 2 agree within 2e-6.
  @Test func withInstanceNormTheLoggedLossesAgree() throws {
    let w = try trainingWorkspace()
    defer { w.remove() }
    let two = try MPI.run(2, train(["--max-steps", "3", "--batch-size", "1"], run: "two"), in: w.root)
    let one = try CLI.run(train(["--max-steps", "3", "--batch-size", "2"], run: "one"), in: w.root)
    #expect(two.status == 0 && one.status == 0, "\(two.stderr)\(one.stderr)")
    let rows = try ["one", "two"].map { run in
      try String(contentsOfFile: w.path("runs-\(run)/day-night/losses.csv"), encoding: .utf8)
        .split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst(5).compactMap { Float($0) } }
    }
    #expect(rows[0].count == 3 && rows[1].count == 3)
    for (step, (a, b)) in zip(rows[0], rows[1]).enumerated() {
      let tolerance: Float = step < 2 ? 1e-4 : 1e-2
      for (x, y) in zip(a, b) { #expect(abs(x - y) <= tolerance * max(abs(x), 1e-3), "step \(step + 1): \(a) vs \(b)") }
    }
  }

  @Test func aRunResumesWithTheSameOrAnotherNumberOfProcesses() throws {
    let w = try trainingWorkspace()
    defer { w.remove() }
    let straight = try MPI.run(2, train(["--max-steps", "4"], run: "straight"), in: w.root)
    let first = try MPI.run(2, train(["--max-steps", "2"], run: "split"), in: w.root)
    let resumed = try MPI.run(2, train(["--max-steps", "4", "--resume"], run: "split"), in: w.root)
    #expect(straight.status == 0 && first.status == 0 && resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("resuming at step 2"), "\(resumed.stdout)")
    for (name, difference) in try relativeDifferences(
      w.path("runs-straight/day-night/checkpoint.safetensors"), w.path("runs-split/day-night/checkpoint.safetensors"))
    {
      #expect(difference == 0, "\(name): \(difference)")
    }
    // Two ranks stopped mid-epoch (step 3: 2 of the epoch's 4 images); one process continues at its image 2.
    let mid = try MPI.run(2, train(["--max-steps", "3"], run: "mid"), in: w.root)
    let alone = try CLI.run(train(["--max-steps", "4", "--resume"], run: "mid"), in: w.root)
    #expect(mid.status == 0 && alone.status == 0 && alone.stdout.contains("resuming at step 3"), "\(alone.stderr)")
    // One process stopped after 1 image: two ranks cannot continue at a whole step.
    let odd = try CLI.run(train(["--max-steps", "1"], run: "odd"), in: w.root)
    #expect(odd.status == 0, "\(odd.stderr)")
    let refused = try MPI.run(2, train(["--max-steps", "3", "--resume"], run: "odd"), in: w.root)
    #expect(
      refused.status != 0 && refused.stderr.contains("written by 1 process(es) and cannot continue with 2"),
      "\(refused.stderr)")
  }

  @Test func twoRanksTranslateEachFileOnceAndMergeTheirSummaries() throws {
    let w = try Workspace()
    defer { w.remove() }
    for i in 0..<5 { try w.writeImage("in/\(i).png", width: 24 + 4 * i, height: 20) }
    try Data("not a png".utf8).write(to: URL(fileURLWithPath: w.path("in/bad.png")))
    struct Summary: Decodable { let total: Int, translated: Int, skipped: Int, failed: Int }
    let failing = try MPI.run(2, ["--from", "day", "--to", "night", "in", "-o", "out", "--json"], in: w.root)
    #expect(failing.status != 0, "a rank failed an image: the job fails")
    let summary = try JSONDecoder().decode(Summary.self, from: Data(failing.stdout.utf8))
    #expect(summary.total == 6 && summary.translated == 5 && summary.failed == 1 && summary.skipped == 0)
    #expect(failing.stderr.contains("failed: ") && failing.stderr.contains("bad.png"), "\(failing.stderr)")
    for i in 0..<5 { #expect(w.exists("out/\(i).png")) }
    try FileManager.default.removeItem(atPath: w.path("in/bad.png"))
    let again = try MPI.run(2, ["--from", "day", "--to", "night", "in", "-o", "out", "--json"], in: w.root)
    #expect(again.status == 0, "\(again.stderr)")
    let skipped = try JSONDecoder().decode(Summary.self, from: Data(again.stdout.utf8))
    #expect(skipped.total == 5 && skipped.skipped == 5)
  }
}

@Suite struct ShardCLITests {
  @Test func shardsOfAnArrayJobTranslateDisjointPartsThatCoverTheFolder() throws {
    let w = try Workspace()
    defer { w.remove() }
    for i in 0..<5 { try w.writeImage("in/\(i).png", width: 24, height: 20) }
    var done: [String] = []
    for shard in ["0/2", "1/2"] {
      let run = try CLI.run(
        ["--from", "day", "--to", "night", "in", "-o", "out-\(shard.first!)", "--shard", shard], in: w.root)
      #expect(run.status == 0, "\(run.stderr)")
      done += try FileManager.default.contentsOfDirectory(atPath: w.path("out-\(shard.first!)"))
    }
    #expect(done.sorted() == (0..<5).map { "\($0).png" })
  }

  @Test func aShardThatNamesNoPartIsRefused() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.writeImage("in/0.png", width: 24, height: 20)
    for (value, message) in [("3/2", "must be in 0…1"), ("x", "is not INDEX/COUNT"), ("1/0", "at least 1")] {
      let run = try CLI.run(["--from", "day", "--to", "night", "in", "-o", "out", "--shard", value], in: w.root)
      #expect(run.status != 0 && run.stderr.contains("--shard") && run.stderr.contains(message), "\(run.stderr)")
      #expect(!w.exists("out/0.png"))
    }
  }
}
