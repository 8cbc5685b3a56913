// Domain folders: recursive listing in any case and a stable order, failing files reported once and
// skipped, and the prefetching loader yielding the same augmented images as a direct loop.
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ImageCodecs

@Suite struct DomainFolderTests {
  /// root/{b.PNG, a.jpg, sub/c.JPEG, sub/broken.png, notes.txt, .hidden.png}
  static func makeDomain() throws -> URL {
    let root = URL(fileURLWithPath: try makeTemporaryFolder("imagecodecs"))
    try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try ImageWriter.write(
      Image.gradient(width: 20, height: 10, channels: 3), to: root.appendingPathComponent("b.PNG").path)
    try ImageWriter.write(
      Image.gradient(width: 30, height: 12, channels: 1), to: root.appendingPathComponent("a.jpg").path)
    try ImageWriter.write(
      Image.gradient(width: 16, height: 16, channels: 3), to: root.appendingPathComponent("sub/c.JPEG").path)
    try Data("not a png".utf8).write(to: root.appendingPathComponent("sub/broken.png"))
    try Data("text".utf8).write(to: root.appendingPathComponent("notes.txt"))
    try ImageWriter.write(Image(width: 2, height: 2, channels: 1), to: root.appendingPathComponent(".hidden.png").path)
    return root
  }

  @Test func listsImagesRecursivelyInByteOrder() throws {
    let root = try Self.makeDomain()
    let folder = try DomainFolder(root)
    let names = folder.files.map { String($0.dropFirst(folder.root.path.count + 1)) }
    #expect(names == ["a.jpg", "b.PNG", "sub/broken.png", "sub/c.JPEG"])
  }

  @Test func missingFolderIsATypedError() {
    #expect(throws: ImageCodecError.self) { try DomainFolder(URL(fileURLWithPath: "/nonexistent/domain")) }
  }

  @Test func failingFileIsReportedOnceAndSkipped() throws {
    let folder = try DomainFolder(try Self.makeDomain())
    let reports = Mutex<[String]>([])
    let loader = DomainLoader(folder: folder) { error in reports.withLock { $0.append(error.path) } }
    for _ in 0..<3 {
      for index in folder.files.indices { _ = loader.load(index) }
    }
    #expect(reports.withLock { $0 } == [folder.files[2]])
    #expect(loader.failedIndices == [2])
  }

  @Test func prefetchingMatchesADirectLoop() throws {
    let folder = try DomainFolder(try Self.makeDomain())
    let loader = DomainLoader(folder: folder) { _ in }
    let recipe = Augmentation(preprocess: .crop, cropSize: 8, flip: true)
    let order = [3, 0, 2, 1, 3, 0]
    var rng = TestGenerator(seed: 77)
    let expected = order.compactMap { loader.load($0) }.map { recipe.apply(to: $0, using: &rng) }
    let prefetched = PrefetchingLoader(
      loader: loader, order: order, augmentation: recipe,
      generator: TestGenerator(seed: 77), capacity: 2)
    let got = Array(prefetched)
    #expect(got.map(\.index) == [3, 0, 1, 3, 0])
    #expect(got.map(\.image) == expected)
    #expect(prefetched.next() == nil)
  }

  @Test func releasingTheLoaderEarlyStopsTheProducer() throws {
    let folder = try DomainFolder(try Self.makeDomain())
    let loader = DomainLoader(folder: folder) { _ in }
    var prefetched: PrefetchingLoader? = PrefetchingLoader(
      loader: loader, order: Array(repeating: 0, count: 1000), augmentation: nil,
      generator: TestGenerator(seed: 1), capacity: 1)
    #expect(prefetched?.next()?.index == 0)
    prefetched = nil
  }
}
