// Freed tensor blocks of 1 MiB and more, kept for the next tensor of about the same size. A forward pass
// allocates the same activation shapes layer after layer and pass after pass, and glibc hands blocks over
// 32 MiB back to the kernel when they are freed, so without this every large activation page-faults and zeroes
// its memory afresh (12% of a 1024² forward pass of the bundled model). The first allocation that finds no
// block of its size frees every kept block before asking the system, so kept blocks do not raise the peak
// memory: kept + live bytes only grow when live bytes do (a reused block may be up to 1/8 larger than asked).

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

  private let kept = Mutex<[Block]>([])

  /// The most recently kept block of `count` to 9/8·`count` floats, or nil after freeing every kept block.
  func take(_ count: Int) -> Block? {
    guard count >= Self.minimumCapacity else { return nil }
    var released: [Block] = []
    let block = kept.withLock { blocks -> Block? in
      if let i = blocks.lastIndex(where: { $0.capacity >= count && $0.capacity - count <= count / 8 }) {
        return blocks.remove(at: i)
      }
      swap(&released, &blocks)
      return nil
    }
    for old in released { free(old.pointer) }
    return block
  }

  /// Keeps a freed block for `take`; false when it is too small to keep (the caller frees it).
  func keep(_ block: Block) -> Bool {
    guard block.capacity >= Self.minimumCapacity else { return false }
    kept.withLock { $0.append(block) }
    return true
  }
}
