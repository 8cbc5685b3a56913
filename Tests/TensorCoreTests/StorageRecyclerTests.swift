// The recycler behind tensor storage: a freed large block serves the next tensor of about its size, and a miss
// frees every kept block before the system is asked (so kept blocks never add to the peak).

import Testing

@testable import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct StorageRecyclerTests {
  static func block(_ capacity: Int) -> StorageRecycler.Block {
    StorageRecycler.Block(pointer: .allocate(capacity: capacity), capacity: capacity)
  }

  @Test func aKeptBlockServesTheNextRequestOfAboutItsSize() {
    let recycler = StorageRecycler()
    let n = StorageRecycler.minimumCapacity * 2
    let first = Self.block(n)
    #expect(recycler.keep(first))
    let again = recycler.take(n - n / 10)  // within 1/8
    #expect(again?.pointer == first.pointer)
    #expect(recycler.take(n) == nil)  // taken: nothing left
    first.pointer.deallocate()
  }

  @Test func aMissReleasesEveryKeptBlockAndSmallBlocksAreNotKept() {
    let recycler = StorageRecycler()
    let n = StorageRecycler.minimumCapacity * 2
    let small = Self.block(StorageRecycler.minimumCapacity - 1)
    #expect(!recycler.keep(small))
    small.pointer.deallocate()
    #expect(recycler.keep(StorageRecycler.Block(pointer: Self.malloced(n), capacity: n)))
    #expect(recycler.take(n / 2) == nil)  // too small a request for the kept block: a miss, which frees it
    #expect(recycler.take(n) == nil)  // so it is gone
  }

  @Test func tensorsOnRecycledBlocksAreWrittenBeforeTheyAreRead() {
    let shape = [1, 4, 256, 257]  // 1 MiB and a bit: recycled
    for value in [Float(1), 2, 3] {
      let t = Tensor(repeating: value, shape: shape)
      #expect(t.scalars.allSatisfy { $0 == value })
      let z = Tensor(zeros: shape)
      #expect(z.scalars.allSatisfy { $0 == 0 })
    }
  }

  /// A block the recycler may free (it frees with free()).
  static func malloced(_ count: Int) -> UnsafeMutablePointer<Float> {
    malloc(count * 4)!.bindMemory(to: Float.self, capacity: count)
  }
}
