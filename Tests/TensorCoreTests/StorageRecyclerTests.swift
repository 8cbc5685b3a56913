// The recycler behind tensor storage: a freed large block serves the next tensor of about its size, and a miss
// releases the oldest kept blocks that would take live + kept bytes over the peak of live bytes.

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

  @Test func smallBlocksAreNotKept() {
    let recycler = StorageRecycler()
    let small = Self.block(StorageRecycler.minimumCapacity - 1)
    #expect(!recycler.keep(small))
    small.pointer.deallocate()
  }

  @Test func aMissReleasesOnlyTheOldestBlocksThatWouldRaiseThePeak() {
    let recycler = StorageRecycler()
    let n = StorageRecycler.minimumCapacity * 2
    let (a, b) = (
      StorageRecycler.Block(pointer: Self.malloced(n), capacity: n),
      StorageRecycler.Block(pointer: Self.malloced(n), capacity: n)
    )
    recycler.allocated(a)
    recycler.allocated(b)  // live 2n: the peak
    #expect(recycler.keep(a) && recycler.keep(b))  // live 0, kept 2n (a is the older)
    // Too small a request for either block: a fresh n/2 on top of 2n kept would exceed the peak, so the oldest
    // kept block (a) is released, and b stays.
    #expect(recycler.take(n / 2) == nil)
    #expect(recycler.take(n)?.pointer == b.pointer)
    #expect(recycler.take(n) == nil)  // a is gone
    free(b.pointer)
  }

  @Test func aMissUnderThePeakKeepsEveryBlock() {
    let recycler = StorageRecycler()
    let n = StorageRecycler.minimumCapacity * 2
    let (a, b) = (
      StorageRecycler.Block(pointer: Self.malloced(n), capacity: n),
      StorageRecycler.Block(pointer: Self.malloced(4 * n), capacity: 4 * n)
    )
    recycler.allocated(a)
    recycler.allocated(b)  // peak 5n
    #expect(recycler.keep(a))  // live 4n, kept n
    #expect(recycler.take(n / 2) == nil)  // 4n + n + n/2 > 5n: a is released
    #expect(recycler.keep(b))  // live 0, kept 4n
    #expect(recycler.take(n) == nil)  // 4n + n ≤ 5n: b stays
    #expect(recycler.take(4 * n)?.pointer == b.pointer)
    free(b.pointer)
  }

  @Test func tensorsOnRecycledBlocksAreWrittenBeforeTheyAreRead() {
    // 1 MiB and a bit: recycled; 9 MiB: also in huge pages, with spare room.
    for (shape, value) in [
      ([1, 4, 256, 257], Float(1)), ([1, 4, 256, 257], 2), ([1, 9, 512, 512], 3), ([1, 9, 512, 511], 4),
    ] {
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
