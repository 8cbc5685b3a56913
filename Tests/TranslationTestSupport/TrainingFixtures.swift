// What the product-level test targets share: tiny CycleGAN configurations and tiny domain folders.

import Foundation
import TestSupport
import Translation

/// A tiny CycleGAN (ResNet with 1 block, 4 filters; PatchGAN with 4 filters) for fast exact tests.
public func tinyConfiguration(seed: UInt64 = 7, identity: Float = 0.5, dropout: Bool = true) -> CycleGANConfiguration {
  var c = CycleGANConfiguration()
  c.generator = .resnet(
    inChannels: 3, outChannels: 3, baseFilters: 4, blocks: 1, norm: .instance, dropout: dropout,
    padding: .reflect)
  c.discriminatorFilters = 4
  c.poolSize = 3
  c.lambdaIdentity = identity
  c.seed = seed
  return c
}

/// Two small domain folders of random-texture images (A: 5 images, B: 4), in a fresh temporary directory.
public func tinyDomains(size: Int = 40) throws -> URL {
  let root = URL(fileURLWithPath: temporaryPath("domains"))
  var rng = SeededGenerator(seed: 5)
  for (domain, count) in [("a", 5), ("b", 4)] {
    let dir = root.appendingPathComponent(domain)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for i in 0..<count {
      let samples = (0..<(size * size * 3)).map { _ in UInt16(rng.next() % 256) }
      let image = Image(width: size, height: size, channels: 3, bitDepth: 8, samples: samples)
      try ImageWriter.write(image, to: dir.appendingPathComponent("\(i).png").path, options: .png)
    }
  }
  return root
}

public func tinyOptions(_ root: URL, run: String, steps: Int, resume: Bool = false) -> TrainingOptions {
  var o = TrainingOptions(
    domainA: ("a", root.appendingPathComponent("a")), domainB: ("b", root.appendingPathComponent("b")),
    runDirectory: root.appendingPathComponent(run), modelPath: root.appendingPathComponent("\(run).safetensors"))
  o.configuration = tinyConfiguration()
  o.configuration.epochs = 2
  o.configuration.decayEpochs = 2
  o.augmentation = Augmentation(preprocess: .crop, loadSize: 40, cropSize: 32, flip: true)
  o.checkpointEvery = 3
  o.maxSteps = steps
  o.resume = resume
  return o
}

/// A tiny pix2pix (U-Net with 5 levels, 4 filters, batch norm, dropout on; PatchGAN with 4 filters on 6 channels).
public func tinyPix2PixConfiguration(seed: UInt64 = 7) -> Pix2PixConfiguration {
  var c = Pix2PixConfiguration()
  c.generator = .unet(inChannels: 3, outChannels: 3, baseFilters: 4, downsamplings: 5, norm: .batch, dropout: true)
  c.discriminatorFilters = 4
  c.seed = seed
  return c
}

/// Two aligned folders of random-texture images: a/ holds 0…4.png, b/ holds 0…3.png (the partners of a's first
/// four) and 9.png (no partner), so 4 pairs and two unmatched files; in a fresh temporary directory.
public func tinyPairedDomains(size: Int = 40) throws -> URL {
  let root = URL(fileURLWithPath: temporaryPath("paired"))
  var rng = SeededGenerator(seed: 11)
  for (domain, names) in [("a", ["0", "1", "2", "3", "4"]), ("b", ["0", "1", "2", "3", "9"])] {
    let dir = root.appendingPathComponent(domain)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for name in names {
      let samples = (0..<(size * size * 3)).map { _ in UInt16(rng.next() % 256) }
      let image = Image(width: size, height: size, channels: 3, bitDepth: 8, samples: samples)
      try ImageWriter.write(image, to: dir.appendingPathComponent("\(name).png").path, options: .png)
    }
  }
  return root
}

/// tinyOptions with the tiny pix2pix configuration: 4 pairs per epoch, 2 + 2 epochs, 32×32 crops of 40×40.
public func tinyPix2PixOptions(_ root: URL, run: String, steps: Int, resume: Bool = false) -> TrainingOptions {
  var o = tinyOptions(root, run: run, steps: steps, resume: resume)
  var c = tinyPix2PixConfiguration()
  c.epochs = 2
  c.decayEpochs = 2
  o.configuration = c
  return o
}
