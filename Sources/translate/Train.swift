// `translate train --from A --to B`: every junyanz training option under a readable name, presets, resume,
// and progress (a live line on a terminal, periodic plain lines otherwise).

import ArgumentParser
import Foundation
import TrainingReport
import Translation

extension GeneratorKind: ExpressibleByArgument {}
extension DiscriminatorKind: ExpressibleByArgument {}
extension NormKind: ExpressibleByArgument {}
extension InitKind: ExpressibleByArgument {}
extension GANMode: ExpressibleByArgument {}
extension Preprocess: ExpressibleByArgument {}
extension TrainingPreset: ExpressibleByArgument {}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a CycleGAN between two folders of unpaired images.",
    discussion: "Domains are folders under --dataroot (datasets/NAME) unless --dir-a/--dir-b name them. "
      + "The model is written to --models-dir as A-B.safetensors; the run folder (--runs-dir/A-B) holds the "
      + "checkpoint, losses.csv and report.html.")

  @Option(help: "Name of domain A.") var from: String
  @Option(help: "Name of domain B.") var to: String
  @Option(help: "Starting point: \(TrainingPreset.allCases.map(\.rawValue).joined(separator: ", ")).") var preset = TrainingPreset.quick
  @Option(help: "Folder holding one folder per domain.") var dataroot = "datasets"
  @Option(help: "Images of domain A (default: DATAROOT/FROM).") var dirA: String?
  @Option(help: "Images of domain B (default: DATAROOT/TO).") var dirB: String?
  @Option(help: "Where the model is written.") var modelsDir = "models"
  @Option(help: "Where run folders go.") var runsDir = "runs"
  @Option(help: "Checkpoint every N steps.") var checkpointEvery = 500
  @Flag(help: "Continue the run from its checkpoint (options come from the checkpoint).") var resume = false
  @Option(help: "Stop after N steps in total.") var maxSteps: Int?
  @Option(help: "Seed of every random choice.") var seed: UInt64 = 0

  @Option(help: "Generator (junyanz --netG).") var generator: GeneratorKind?
  @Option(help: "Generator base filters (--ngf).") var baseFilters: Int?
  @Option(help: "Discriminator (--netD).") var discriminator: DiscriminatorKind?
  @Option(help: "Discriminator base filters (--ndf).") var discriminatorFilters: Int?
  @Option(help: "Discriminator layers for n_layers (--n_layers_D).") var discriminatorLayers: Int?
  @Option(help: "Normalization (--norm).") var norm: NormKind?
  @Option(help: "Weight initialization (--init_type).") var initType: InitKind?
  @Option(help: "Initialization gain (--init_gain).") var initGain: Float?
  @Flag(help: "Dropout in the generator (junyanz CycleGAN default: off).") var dropout = false
  @Option(help: "GAN objective (--gan_mode).") var ganMode: GANMode?
  @Option(help: "Image pool size (--pool_size).") var poolSize: Int?
  @Option(help: "Cycle weight A→B→A (--lambda_A).") var lambdaA: Float?
  @Option(help: "Cycle weight B→A→B (--lambda_B).") var lambdaB: Float?
  @Option(help: "Identity weight as a fraction of the cycle weights (--lambda_identity).") var lambdaIdentity: Float?
  @Option(help: "Learning rate (--lr).") var lr: Float?
  @Option(help: "Adam β1 (--beta1).") var beta1: Float?
  @Option(help: "Epochs at the initial rate (--n_epochs).") var epochs: Int?
  @Option(help: "Epochs of linear decay (--n_epochs_decay).") var decayEpochs: Int?
  @Option(help: "Batch size (--batch_size).") var batchSize: Int?
  @Option(help: "Preprocessing (--preprocess).") var preprocess: Preprocess?
  @Option(help: "Resize size before cropping (--load_size).") var loadSize: Int?
  @Option(help: "Crop size (--crop_size).") var cropSize: Int?
  @Flag(help: "No random horizontal flips (--no_flip).") var noFlip = false
  @Option(help: "Weight of a Gram style loss pulling each generator toward its target domain's statistics (0: off).")
  var lambdaStyle: Float?
  @Option(help: "With --lambda-style: a style image whose statistics replace domain B's.") var styleImage: String?

  func validate() throws {
    guard !from.isEmpty, !to.isEmpty, from != to else { throw ValidationError("--from and --to must name two different domains") }
    for (name, value) in [("--checkpoint-every", checkpointEvery), ("--max-steps", maxSteps ?? 1), ("--base-filters", baseFilters ?? 1),
                          ("--discriminator-filters", discriminatorFilters ?? 1), ("--batch-size", batchSize ?? 1),
                          ("--crop-size", cropSize ?? 1), ("--load-size", loadSize ?? 1)] where value < 1 {
      throw ValidationError("\(name) must be at least 1, got \(value)")
    }
    if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
    if let lambdaStyle, lambdaStyle < 0 { throw ValidationError("--lambda-style must not be negative") }
    if styleImage != nil && (lambdaStyle ?? 0) == 0 { throw ValidationError("--style-image needs --lambda-style > 0") }
  }

  func run() throws {
    var c = preset.configuration
    var augmentation = preset.augmentation
    if let generator { c.generator = .preset(generator, baseFilters: baseFilters ?? 64, norm: norm ?? .instance, dropout: dropout) }
    else if baseFilters != nil || norm != nil || dropout {
      if case let .resnet(i, o, f, blocks, n, d, padding) = c.generator {
        c.generator = .resnet(inChannels: i, outChannels: o, baseFilters: baseFilters ?? f, blocks: blocks, norm: norm ?? n,
                              dropout: dropout || d, padding: padding)
      }
    }
    c.discriminator = discriminator ?? c.discriminator
    c.discriminatorFilters = discriminatorFilters ?? c.discriminatorFilters
    c.discriminatorLayers = discriminatorLayers ?? c.discriminatorLayers
    c.discriminatorNorm = norm ?? c.discriminatorNorm
    c.initKind = initType ?? c.initKind
    c.initGain = initGain ?? c.initGain
    c.ganMode = ganMode ?? c.ganMode
    c.poolSize = poolSize ?? c.poolSize
    c.lambdaA = lambdaA ?? c.lambdaA
    c.lambdaB = lambdaB ?? c.lambdaB
    c.lambdaIdentity = lambdaIdentity ?? c.lambdaIdentity
    c.learningRate = lr ?? c.learningRate
    c.beta1 = beta1 ?? c.beta1
    c.epochs = epochs ?? c.epochs
    c.decayEpochs = decayEpochs ?? c.decayEpochs
    c.batchSize = batchSize ?? c.batchSize
    c.seed = seed
    c.lambdaStyle = lambdaStyle ?? c.lambdaStyle
    c.styleImage = styleImage
    augmentation.preprocess = preprocess ?? augmentation.preprocess
    augmentation.loadSize = loadSize ?? augmentation.loadSize
    augmentation.cropSize = cropSize ?? augmentation.cropSize
    if noFlip { augmentation.flip = false }

    let name = "\(from)-\(to)"
    var options = TrainingOptions(
      domainA: (from, URL(fileURLWithPath: dirA ?? "\(dataroot)/\(from)")),
      domainB: (to, URL(fileURLWithPath: dirB ?? "\(dataroot)/\(to)")),
      runDirectory: URL(fileURLWithPath: "\(runsDir)/\(name)"),
      modelPath: URL(fileURLWithPath: "\(modelsDir)/\(name).safetensors"))
    options.configuration = c
    options.augmentation = augmentation
    options.checkpointEvery = checkpointEvery
    options.resume = resume
    options.maxSteps = maxSteps
    var printer = TrainingProgressPrinter()
    let report = TrainingReport(runDirectory: options.runDirectory)
    do {
      try CycleGANTrainer.run(options) { event in
        printer.handle(event)
        try report.handle(event)
      }
    } catch {
      printer.finishLine()
      throw Output.fail(error)
    }
  }
}

/// Renders training events: a live \r line on a terminal, a plain line every 10 s otherwise.
struct TrainingProgressPrinter {
  let live = Output.isTerminal
  var total = 0, lastPlain = Date.distantPast, startedAt = Date(), startStep = 0, onLine = false

  mutating func handle(_ event: TrainingEvent) {
    switch event {
    case let .started(s):
      total = s.totalSteps
      startStep = s.resumedAt ?? 0
      for file in s.skipped { Output.line("skipped: \(file)") }
      Output.line("training on \(s.itemsA) + \(s.itemsB) images, \(s.iterationsPerEpoch) steps per epoch, \(s.totalSteps) steps"
        + (s.resumedAt.map { ", resuming at step \($0)" } ?? ""))
    case let .step(record):
      let (p, losses, rate) = (record, record.losses, record.learningRate)
      let elapsed = Date().timeIntervalSince(startedAt)
      let speed = Double(p.step - startStep) / max(elapsed, 1e-9)
      let eta = Double(total - p.step) / max(speed, 1e-9)
      let values = zip(CycleGANLosses.names, losses.values).filter { !$0.0.hasPrefix("style") || $0.1 != 0 }.map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: " ")
      let line = String(format: "step %d/%d  epoch %d  %.2f it/s  ETA %@  lr %.2e  ", p.step, total, p.epoch, speed,
                        formatDuration(eta), rate) + values
      if live {
        Output.write("\r\u{1B}[K" + line)
        onLine = true
      } else if Date().timeIntervalSince(lastPlain) >= 10 || p.step == total {
        Output.line(line)
        lastPlain = Date()
      }
    case let .checkpoint(path, progress, _):
      finishLine()
      Output.line("checkpoint at step \(progress.step): \(path)")
    case let .finished(path, p):
      finishLine()
      Output.line(String(format: "model written: %@ (%d steps, %.0f s)", path, p.step, p.seconds))
    }
  }

  mutating func finishLine() {
    if onLine { Output.line(""); onLine = false }
  }
}

func formatDuration(_ seconds: Double) -> String {
  guard seconds.isFinite else { return "?" }
  let s = Int(seconds)
  return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
}
