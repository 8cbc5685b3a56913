// The recycler behind tensors of 1 MiB and more: a freed range serves the next request that fits, splitting off
// the rest, freed neighbours merge again, and mapping afresh first unmaps kept ranges that would take the
// footprint over the peak of live bytes.

import Testing

@testable import TensorCore

@Suite struct StorageRecyclerTests {
  static let n = StorageRecycler.minimumCapacity * 2  // 2 MiB: page-sized ranges, no huge pages

  @Test func aFreedRangeServesTheNextRequestThatFits() throws {
    let recycler = StorageRecycler()
    let first = try #require(recycler.allocate(Self.n))
    first.pointer.update(repeating: 1, count: Self.n)
    recycler.release(first)
    let again = try #require(recycler.allocate(Self.n - 100))
    #expect(again.pointer == first.pointer && again.capacity == Self.n)
    recycler.release(again)
  }

  @Test func aLargeRangeIsSplitAndItsPiecesMergeWhenFreed() throws {
    let recycler = StorageRecycler()
    let whole = try #require(recycler.allocate(2 * Self.n))
    recycler.release(whole)
    let head = try #require(recycler.allocate(Self.n))
    let tail = try #require(recycler.allocate(Self.n))
    #expect(head.pointer == whole.pointer && tail.pointer == whole.pointer + Self.n)
    #expect(recycler.kept.floats == 0)
    recycler.release(tail)
    recycler.release(head)
    #expect(recycler.kept.floats == 2 * Self.n && recycler.kept.ranges == 1)
    let again = try #require(recycler.allocate(2 * Self.n))
    #expect(again.pointer == whole.pointer)
    recycler.release(again)
  }

  @Test func mappingAfreshUnmapsKeptRangesThatWouldRaiseThePeak() throws {
    let recycler = StorageRecycler()
    let a = try #require(recycler.allocate(Self.n))
    let b = try #require(recycler.allocate(Self.n))  // live 2n: the peak
    recycler.release(a)
    recycler.release(b)
    #expect(recycler.kept.floats == 2 * Self.n)
    // No kept range fits 3n: mapping it on top of 2n kept would exceed max(peak, 3n), so both are unmapped.
    let c = try #require(recycler.allocate(3 * Self.n))
    #expect(recycler.kept.floats == 0)
    recycler.release(c)
    // Under the peak (now 3n) a fresh n keeps what fits: 3n kept serve it by a split.
    let d = try #require(recycler.allocate(Self.n))
    #expect(d.pointer == c.pointer && recycler.kept.floats == 2 * Self.n)
    recycler.release(d)
  }

  @Test func tensorsOnRecycledBlocksAreWrittenBeforeTheyAreRead() {
    // 1 MiB and a bit: recycled; 9 MiB: in huge pages; then pieces of earlier ranges.
    for (shape, value) in [
      ([1, 4, 256, 257], Float(1)), ([1, 4, 256, 257], 2), ([1, 9, 512, 512], 3), ([1, 9, 512, 511], 4),
      ([1, 3, 512, 512], 5),
    ] {
      let t = Tensor(repeating: value, shape: shape)
      #expect(t.scalars.allSatisfy { $0 == value })
      let z = Tensor(zeros: shape)
      #expect(z.scalars.allSatisfy { $0 == 0 })
    }
  }
}
