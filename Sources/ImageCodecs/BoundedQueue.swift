// A blocking first-in first-out queue of bounded capacity between threads: the producer waits when it is
// full, the consumer when it is empty; closing it (either side) lets the consumer drain and then see the end,
// and tells a producer that nobody listens any more. Used by the prefetching loader and batch translation.

import Foundation

public final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element] = []
  private var closed = false
  public let capacity: Int

  public init(capacity: Int) {
    precondition(capacity > 0, "BoundedQueue: capacity must be positive")
    self.capacity = capacity
  }

  /// Appends `item`, waiting while the queue is full. Returns false (and drops `item`) once the queue is closed.
  @discardableResult
  public func push(_ item: Element) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !closed { condition.wait() }
    guard !closed else { return false }
    items.append(item)
    condition.broadcast()
    return true
  }

  /// No more items will come (producer), or none is wanted any more (consumer).
  public func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The oldest item, waiting while the queue is empty; nil once it is closed and drained.
  public func pop() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !closed { condition.wait() }
    guard !items.isEmpty else { return nil }
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }
}
