// Transparent huge pages for large tensors. A 2048² activation of 16 channels is 256 MiB: in 4 KiB pages its
// first touch takes 65 536 page faults and its streaming passes miss the TLB on every page; in 2 MiB pages, 128
// faults. Linux gives huge pages to an anonymous mapping that asks (madvise) when the system's policy is
// "madvise" (the default of most distributions) or "always"; elsewhere the advice is a no-op.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum HugePages {
  /// The huge page size of x86-64 and arm64 Linux.
  static let size = 2 << 20
  /// Blocks from this size on are aligned and advised (smaller ones would waste most of a page).
  static let minimumBytes = 8 << 20

  /// Asks for huge pages on [pointer, pointer + bytes); `pointer` is `size`-aligned, bytes a multiple of `size`.
  static func advise(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
    #if os(Linux)
    _ = madvise(pointer, bytes, MADV_HUGEPAGE)
    #endif
  }
}
