// The record every `translate bench` timing prints: as a table line or as JSON (bench/compare-pytorch reads
// the JSON).

import Foundation
import NN

/// One timed measurement as printed: best and median seconds, GFLOP/s when the work is known, and the
/// process's peak resident memory so far.
struct TimingReport: Encodable {
  let name: String
  let detail: String
  let threads: Int
  let seconds: [Double]
  let flops: Double?
  let peakResidentBytes: Int

  init(name: String, detail: String, threads: Int, seconds: [Double], flops: Double?) {
    self.name = name
    self.detail = detail
    self.threads = threads
    self.seconds = seconds
    self.flops = flops
    peakResidentBytes = Self.peakResidentBytes()
  }

  /// The process's high-water resident set: VmHWM on Linux (reset by exec, unlike ru_maxrss, which keeps the
  /// parent's peak from before the fork), ru_maxrss elsewhere.
  static func peakResidentBytes() -> Int {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kilobytes = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
    {
      return kilobytes * 1024
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
    #else
    var usage = rusage()
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
    #endif
  }

  var best: Double { seconds.min() ?? .nan }
  var median: Double {
    let s = seconds.sorted()
    return s.isEmpty ? .nan : s[s.count / 2]
  }

  enum CodingKeys: String, CodingKey {
    case name, detail, threads, seconds, flops
    case best = "best_seconds"
    case median = "median_seconds"
    case gflops
    case
      peakResidentBytes = "peak_resident_bytes"
    case blas
  }
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(detail, forKey: .detail)
    try c.encode(threads, forKey: .threads)
    try c.encode(seconds, forKey: .seconds)
    try c.encode(best, forKey: .best)
    try c.encode(median, forKey: .median)
    try c.encodeIfPresent(flops, forKey: .flops)
    try c.encodeIfPresent(flops.map { $0 / best / 1e9 }, forKey: .gflops)
    try c.encode(peakResidentBytes, forKey: .peakResidentBytes)
    try c.encode(BLASKernels.current, forKey: .blas)
  }

  func print(json: Bool) throws {
    if json { return try Output.json(self) }
    var line =
      "\(name) (\(detail), \(threads) threads): best \(fmt(best * 1e3, 0, 1)) ms, median \(fmt(median * 1e3, 0, 1)) ms"
    if let flops { line += ", \(fmt(flops / best / 1e9, 0, 1)) GFLOP/s" }
    line += ", peak memory \(fmt(Double(peakResidentBytes) / 1_048_576, 0, 0)) MiB, BLAS kernels \(BLASKernels.current)"
    Output.line(line)
  }
}
