// parallelFor on the persistent pool: every index exactly once, whatever the thread count, nesting or
// concurrent callers (which fall back to libdispatch while another caller holds the pool).

import Dispatch
import Synchronization
import Testing

@testable import TensorCore

@Suite struct ParallelTests {
  /// Runs parallelFor over `count` and returns how often each index was visited.
  static func visits(_ count: Int) -> [Int] {
    let counts = SendablePointer(UnsafeMutablePointer<Int>.allocate(capacity: count))
    defer { counts.base.deallocate() }
    counts.base.initialize(repeating: 0, count: count)
    parallelFor(count) { range in
      for i in range { counts.base[i] += 1 }
    }
    return Array(UnsafeBufferPointer(start: counts.base, count: count))
  }

  @Test(arguments: [1, 2, 3, 8, 17])
  func everyIndexRunsOnceForAnyThreadCount(threads: Int) {
    ComputeThreads.pinned(to: threads) {
      for count in [1, 2, 5, 64, 1001] {
        for _ in 0..<50 {
          #expect(Self.visits(count) == Array(repeating: 1, count: count))
        }
      }
    }
  }

  @Test func manyShortJobsInARowAllComplete() {
    // Back-to-back jobs are where a late worker could claim a chunk of the next job.
    let total = Atomic<Int>(0)
    ComputeThreads.pinned(to: 4) {
      for job in 0..<20_000 {
        parallelFor(4) { range in
          for _ in range { total.add(job % 7, ordering: .relaxed) }
        }
      }
    }
    let expected = (0..<20_000).reduce(0) { $0 + 4 * ($1 % 7) }
    #expect(total.load(ordering: .relaxed) == expected)
  }

  @Test func nestedLoopsRunEveryInnerIndexOnce() {
    let hits = Atomic<Int>(0)
    ComputeThreads.pinned(to: 3) {
      parallelFor(6) { outer in
        for _ in outer {
          parallelFor(10) { inner in hits.add(inner.count, ordering: .relaxed) }
        }
      }
    }
    #expect(hits.load(ordering: .relaxed) == 60)
  }

  @Test func concurrentCallersEachGetTheirWholeLoop() {
    let hits = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 4) { caller in
      ComputeThreads.pinned(to: 2) {
        for _ in 0..<500 {
          parallelFor(2 + caller) { range in hits.add(range.count, ordering: .relaxed) }
        }
      }
    }
    #expect(hits.load(ordering: .relaxed) == 500 * (2 + 3 + 4 + 5))
  }
}
