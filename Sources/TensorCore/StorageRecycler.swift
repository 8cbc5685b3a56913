// Freed tensor blocks of 1 MiB and more, kept for the next tensor of about the same size. A forward pass
// allocates the same activation shapes layer after layer and pass after pass, and glibc hands blocks over
// 32 MiB back to the kernel when they are freed, so without this every large activation page-faults and zeroes
// its memory afresh (12% of a 1024² forward pass of the bundled model, 22% of a 2048² one even in huge pages).
// Kept blocks never raise the process's peak: a request no kept block serves releases the oldest kept blocks
// until live + kept + the new block fit under the most live bytes seen so far, so the footprint stays within
// the peak of live tensors (a reused block may be up to 1/8 larger than asked). Within that bound, blocks of
// every size a pass uses survive to the next pass: in steady state nothing is mapped afresh.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class StorageRecycler: Sendable {
  /// The one behind every TensorStorage.
  static let shared = StorageRecycler()

  /// A block of `capacity` floats.
  struct Block: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let capacity: Int
  }

  /// Blocks smaller than this (in floats) go back to malloc, which keeps them mapped anyway.
  static let minimumCapacity = 1 << 18

  /// Kept blocks, oldest first, and the floats of large blocks in use now and at most so far.
  private struct State {
    var kept: [Block] = []
    var keptFloats = 0, live = 0, peak = 0
  }
  private let state = Mutex(State())

  /// The most recently kept block of `count` to 9/8·`count` floats; or nil, having released the oldest kept
  /// blocks that a new block of `count` floats would take over the peak (the caller then allocates one and
  /// reports it with `allocated`).
  func take(_ count: Int) -> Block? {
    guard count >= Self.minimumCapacity else { return nil }
    var released: [Block] = []
    let block = state.withLock { s -> Block? in
      if let i = s.kept.lastIndex(where: { $0.capacity >= count && $0.capacity - count <= count / 8 }) {
        let block = s.kept.remove(at: i)
        s.keptFloats -= block.capacity
        s.live += block.capacity
        s.peak = max(s.peak, s.live)
        return block
      }
      var n = 0
      while n < s.kept.count && s.live + s.keptFloats + count > max(s.peak, s.live + count) {
        s.keptFloats -= s.kept[n].capacity
        n += 1
      }
      released = Array(s.kept.prefix(n))
      s.kept.removeFirst(n)
      return nil
    }
    for old in released { free(old.pointer) }
    return block
  }

  /// Counts a block fresh from the system as live.
  func allocated(_ block: Block) {
    guard block.capacity >= Self.minimumCapacity else { return }
    state.withLock { s in
      s.live += block.capacity
      s.peak = max(s.peak, s.live)
    }
  }

  /// Keeps a freed block for `take`; false when it is too small to keep (the caller frees it).
  func keep(_ block: Block) -> Bool {
    guard block.capacity >= Self.minimumCapacity else { return false }
    state.withLock { s in
      s.kept.append(block)
      s.keptFloats += block.capacity
      s.live = max(0, s.live - block.capacity)
    }
    return true
  }
}
