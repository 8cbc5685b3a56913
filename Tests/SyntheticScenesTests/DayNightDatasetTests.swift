// The day/night dataset writer: files and names, byte-identical reruns, independent unpaired streams.
import Foundation
import ImageCodecs
import TensorCore
import TestSupport
import Testing

@testable import SyntheticScenes

@Suite struct DayNightDatasetTests {
  @Test func writerCreatesNumberedFilesInDayAndNightFolders() throws {
    let folder = URL(fileURLWithPath: temporaryPath("png"))
    defer { try? FileManager.default.removeItem(at: folder) }
    let summary = try DayNightDataset.write(count: 3, size: 32, seed: 5, paired: false, to: folder, format: .png)
    #expect(summary.count == 3 && summary.bytes > 0)
    for (domain, lighting) in [("day", SceneLighting.day), ("night", .night)] {
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(domain).path)
      #expect(names.sorted() == ["0000.png", "0001.png", "0002.png"])
      // PNG is lossless: the file holds exactly the rendered image.
      let path = folder.appendingPathComponent(domain).appendingPathComponent("0002.png").path
      let scene = DayNightDataset.scene(index: 2, seed: 5, stream: lighting)
      #expect(try ImageDecoder.load(path: path).image == scene.render(width: 32, height: 32, lighting: lighting))
    }
  }

  @Test func sameArgumentsWriteByteIdenticalJPEGs() throws {
    let (a, b) = (URL(fileURLWithPath: temporaryPath("a")), URL(fileURLWithPath: temporaryPath("b")))
    defer { for folder in [a, b] { try? FileManager.default.removeItem(at: folder) } }
    for folder in [a, b] { _ = try DayNightDataset.write(count: 2, size: 48, seed: 9, paired: true, to: folder) }
    for domain in ["day", "night"] {
      for name in ["0000.jpg", "0001.jpg"] {
        let bytes = [a, b].map {
          FileManager.default.contents(atPath: $0.appendingPathComponent(domain).appendingPathComponent(name).path)
        }
        #expect(bytes[0] != nil && bytes[0] == bytes[1], "\(domain)/\(name)")
      }
    }
  }

  @Test func unpairedDayAndNightComeFromIndependentScenesPairedFromTheSame() {
    for index in 0..<20 {
      let day = DayNightDataset.scene(index: index, seed: 1, stream: .day)
      #expect(day != DayNightDataset.scene(index: index, seed: 1, stream: .night))
      #expect(day != DayNightDataset.scene(index: index + 1, seed: 1, stream: .day))
      #expect(day != DayNightDataset.scene(index: index, seed: 2, stream: .day))
      let paired = DayNightDataset.images(index: index, size: 24, seed: 1, paired: true)
      let unpaired = DayNightDataset.images(index: index, size: 24, seed: 1, paired: false)
      #expect(paired.day == unpaired.day)
      #expect(paired.night == day.render(width: 24, height: 24, lighting: .night))
      #expect(paired.night != unpaired.night)
    }
  }

  @Test func fileNamesPadToFourDigitsOrAsManyAsTheCountNeeds() {
    #expect(DayNightDataset.fileName(index: 7, count: 300, format: .jpg) == "0007.jpg")
    #expect(DayNightDataset.fileName(index: 9999, count: 10_000, format: .png) == "9999.png")
    #expect(DayNightDataset.fileName(index: 7, count: 10_001, format: .png) == "00007.png")
  }

  @Test func anUncreatableFolderIsAClearError() throws {
    let file = URL(fileURLWithPath: temporaryPath("file"))
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(FileManager.default.createFile(atPath: file.path, contents: Data()))
    #expect(throws: DayNightDatasetError.self) {
      try DayNightDataset.write(count: 1, size: 16, seed: 0, paired: false, to: file.appendingPathComponent("out"))
    }
  }
}
