// The memory behind tensors of 1 MiB and more: mapped from the system (mmap) and, when freed, kept for the next
// tensors rather than handed back. A forward pass allocates the same activation shapes layer after layer and
// pass after pass; a fresh mapping page-faults and is zeroed by the kernel on first touch (12% of a 1024² forward
// pass of the bundled model when glibc returned every freed block over 32 MiB). Kept memory is one address-
// ordered list of free ranges: a request takes the smallest range that fits and leaves the rest kept (a 256 MiB
// activation's range serves two 128 MiB ones later), and a freed range merges with free neighbours (the two serve
// a 256 MiB one again). Kept ranges never raise the footprint: before mapping afresh, the smallest kept ranges
// are unmapped until live + kept + the new range fit under the most live bytes seen so far.
// Ranges of 8 MiB and more are 2 MiB aligned and in transparent huge pages (HugePages.swift).

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class StorageRecycler: Sendable {
  /// The one behind every TensorStorage.
  static let shared = StorageRecycler()

  /// A range of `capacity` floats.
  struct Block: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let capacity: Int
    var end: UnsafeMutablePointer<Float> { pointer + capacity }
  }

  /// Tensors of fewer floats come from malloc, which keeps small blocks mapped anyway.
  static let minimumCapacity = 1 << 18
  /// Range sizes are multiples of the page (floats).
  static let pageFloats = 4096 / 4

  /// Kept ranges by address, and the floats of ranges in use now and at most so far.
  private struct State {
    var kept: [Block] = []
    var keptFloats = 0, live = 0, peak = 0
  }
  private let state = Mutex(State())

  /// A range of at least `count` floats (`count` ≥ `minimumCapacity`), or nil when the system has no memory.
  func allocate(_ count: Int) -> Block? {
    guard count >= Self.minimumCapacity, count <= Int.max / 8 else { return nil }
    let huge = count * 4 >= HugePages.minimumBytes
    let unit = huge ? HugePages.size / 4 : Self.pageFloats
    let need = (count + unit - 1) / unit * unit
    var released: [Block] = []
    let reused = state.withLock { s -> Block? in
      if let i = s.kept.indices.filter({ s.kept[$0].capacity >= need }).min(by: {
        s.kept[$0].capacity < s.kept[$1].capacity
      }) {
        let range = s.kept[i]
        let taken = range.capacity - need >= Self.minimumCapacity ? need : range.capacity
        if taken < range.capacity {
          s.kept[i] = Block(pointer: range.pointer + taken, capacity: range.capacity - taken)
        } else {
          s.kept.remove(at: i)
        }
        let block = Block(pointer: range.pointer, capacity: taken)
        s.keptFloats -= block.capacity
        s.live += block.capacity
        s.peak = max(s.peak, s.live)
        return block
      }
      // Unmap the smallest kept ranges until a new range fits under the peak.
      while !s.kept.isEmpty && s.live + s.keptFloats + need > max(s.peak, s.live + need) {
        guard let i = s.kept.indices.min(by: { s.kept[$0].capacity < s.kept[$1].capacity }) else { break }
        let range = s.kept.remove(at: i)
        s.keptFloats -= range.capacity
        released.append(range)
      }
      s.live += need
      s.peak = max(s.peak, s.live)
      return nil
    }
    for range in released { Self.unmap(range) }
    if let reused { return reused }
    guard let fresh = Self.map(floats: need, huge: huge) else {
      state.withLock { $0.live -= need }
      return nil
    }
    return fresh
  }

  /// Keeps a freed range (from `allocate`), merged with kept neighbours.
  func release(_ block: Block) {
    state.withLock { s in
      s.live = max(0, s.live - block.capacity)
      s.keptFloats += block.capacity
      var i = s.kept.firstIndex { $0.pointer > block.pointer } ?? s.kept.count
      var merged = block
      if i < s.kept.count && s.kept[i].pointer == merged.end {
        merged = Block(pointer: merged.pointer, capacity: merged.capacity + s.kept[i].capacity)
        s.kept.remove(at: i)
      }
      if i > 0 && s.kept[i - 1].end == merged.pointer {
        merged = Block(pointer: s.kept[i - 1].pointer, capacity: s.kept[i - 1].capacity + merged.capacity)
        s.kept.remove(at: i - 1)
        i -= 1
      }
      s.kept.insert(merged, at: i)
    }
  }

  deinit {
    for range in state.withLock({ $0.kept }) { Self.unmap(range) }
  }

  /// Kept floats and ranges (tests).
  var kept: (floats: Int, ranges: Int) { state.withLock { ($0.keptFloats, $0.kept.count) } }

  /// A fresh anonymous mapping of `floats` (a multiple of the page; of 2 MiB when `huge`, then 2 MiB aligned).
  private static func map(floats: Int, huge: Bool) -> Block? {
    let bytes = floats * 4
    let slack = huge ? HugePages.size : 0
    guard let raw = mmap(nil, bytes + slack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
      raw != MAP_FAILED
    else { return nil }
    var start = raw
    if huge {
      // Trim the mapping to a 2 MiB-aligned range of `bytes`.
      let address = Int(bitPattern: raw)
      let head = (HugePages.size - address % HugePages.size) % HugePages.size
      if head > 0 { munmap(raw, head) }
      if slack - head > 0 { munmap(raw + head + bytes, slack - head) }
      start = raw + head
      HugePages.advise(start, bytes: bytes)
    }
    return Block(pointer: start.bindMemory(to: Float.self, capacity: floats), capacity: floats)
  }

  private static func unmap(_ block: Block) {
    munmap(UnsafeMutableRawPointer(block.pointer), block.capacity * 4)
  }
}
