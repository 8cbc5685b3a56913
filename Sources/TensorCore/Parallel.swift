// Threads: one helper that splits a loop over all compute threads. GEMMs are split the same way, each part a
// single-threaded BLAS call (GEMM.swift), so BLAS threads and ours never oversubscribe the cores (OpenBLAS;
// Accelerate on macOS keeps its own threads).

import CKernels
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
/// chunk worth a thread (a hand-off to a pool thread costs a few µs; aim for ≥ 50 µs of work per chunk).
/// The chunks run on the persistent pool (CKernels/thread_pool.c); a call from inside a chunk runs serially,
/// and one made while another thread's loop holds the pool (or where there is no pool) goes to libdispatch.
public func parallelFor(_ count: Int, grain: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
  guard count > 0 else { return }
  let threads = ComputeThreads.count
  let chunks = min(threads, max(1, count / max(grain, 1)))
  if chunks == 1 {
    body(0..<count)
    return
  }
  let chunk: @Sendable (Int) -> Range<Int> = { t in (count * t / chunks)..<(count * (t + 1) / chunks) }
  withoutActuallyEscaping(body) { body in
    var job = PoolJob(run: { t in
      let range = chunk(t)
      if !range.isEmpty { body(range) }
    })
    let outcome = withUnsafeMutablePointer(to: &job) { ck_pool_run(chunks, Int32(threads), poolTrampoline, $0) }
    switch Int(outcome) {
    case Int(CK_POOL_DONE): break
    case Int(CK_POOL_NESTED): body(0..<count)
    default:
      DispatchQueue.concurrentPerform(iterations: chunks) { t in
        let range = chunk(t)
        if !range.isEmpty { body(range) }
      }
    }
  }
}

/// The closure a pool job runs for each chunk index.
private struct PoolJob {
  let run: (Int) -> Void
}

/// C entry of a pool job: context is a `PoolJob`.
private let poolTrampoline: ck_pool_task = { context, chunk in
  context!.assumingMemoryBound(to: PoolJob.self).pointee.run(chunk)
}
