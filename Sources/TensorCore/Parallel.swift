// Threads: one helper that splits a loop over all compute threads. GEMMs are split the same way, each part a
// single-threaded BLAS call (GEMM.swift), so BLAS threads and ours never oversubscribe the cores (OpenBLAS;
// Accelerate on macOS keeps its own threads).

import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ComputeThreads {
  private static let configured = Atomic<Int>(0)
  @TaskLocal private static var pinnedCount: Int?

  /// Number of threads kernels use (default: all cores): the calling task's `pinned` count, else `set`'s.
  public static var count: Int {
    if let pinned = pinnedCount { return pinned }
    let n = configured.load(ordering: .relaxed)
    return n > 0 ? n : defaultCount
  }

  /// Runs `body` with `n` compute threads for the calling task only (other tasks keep theirs), whatever the
  /// machine: for results that must not depend on it, since the split of a GEMM over threads is part of its
  /// rounding. Kernels read the count on the calling thread, before they split.
  public static func pinned<R>(to n: Int, _ body: () throws -> R) rethrows -> R {
    precondition(n >= 1, "ComputeThreads.pinned: \(n) threads")
    return try $pinnedCount.withValue(n, operation: body)
  }

  /// Sets the thread count for our kernels, GEMMs included (BLAS itself stays single-threaded: GEMM.swift).
  /// `nil` restores the default (all cores).
  public static func set(_ n: Int?) {
    precondition(n.map { $0 >= 1 } ?? true, "ComputeThreads.set: \(n!) threads")
    configured.store(n ?? 0, ordering: .relaxed)
  }

  static var defaultCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// A pointer that may be captured by `parallelFor` bodies; each iteration must touch disjoint elements.
public struct SendablePointer<T>: @unchecked Sendable {
  public let base: UnsafeMutablePointer<T>
  @inlinable public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
  @inlinable public init(_ base: UnsafePointer<T>) { self.base = UnsafeMutablePointer(mutating: base) }
}

/// Runs `body(range)` over `0..<count` split into contiguous chunks, one per thread. `grain` is the smallest
/// chunk worth a thread (a dispatch to a thread costs ~0.5 µs here; aim for ≥ 50 µs of work per chunk).
@inlinable
public func parallelFor(_ count: Int, grain: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
  guard count > 0 else { return }
  let chunks = min(ComputeThreads.count, max(1, count / max(grain, 1)))
  if chunks == 1 {
    body(0..<count)
    return
  }
  DispatchQueue.concurrentPerform(iterations: chunks) { t in
    let lo = count * t / chunks
    let hi = count * (t + 1) / chunks
    if lo < hi { body(lo..<hi) }
  }
}
