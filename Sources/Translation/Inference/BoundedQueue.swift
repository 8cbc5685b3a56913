// A blocking first-in first-out queue of bounded capacity between threads: the producer waits when it is
// full, the consumer when it is empty; closing it lets the consumer drain and then see the end.

import Foundation

final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element] = []
  private var closed = false
  let capacity: Int

  init(capacity: Int) {
    precondition(capacity > 0, "BoundedQueue: capacity must be positive")
    self.capacity = capacity
  }

  /// Appends `item`, waiting while the queue is full.
  func push(_ item: Element) {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !closed { condition.wait() }
    items.append(item)
    condition.broadcast()
  }

  /// No more items will come.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The oldest item, waiting while the queue is empty; nil once it is closed and drained.
  func pop() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !closed { condition.wait() }
    guard !items.isEmpty else { return nil }
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }
}
