// `translate train`: a run of any training method (TrainingMethod.swift) over two domain folders — validation
// before any work, epochs with junyanz's linear decay, atomic checkpoints every N steps, exact resume, a loss
// log, events for whoever presents the run (progress line, HTML report), and a stop on the first non-finite loss
// that keeps the last good checkpoint. Under mpirun every rank runs this same path on its share of each batch
// (Replicas.swift); rank 0 alone writes files and reports events.

import Distributed
import Foundation

public struct TrainingOptions: Sendable {
  /// The method's configuration (its type chooses the method; a resumed run's comes from its checkpoint).
  public var configuration: any TrainingConfiguration = CycleGANConfiguration()
  public var augmentation = Augmentation()
  public var domainA: (name: String, folder: URL)
  public var domainB: (name: String, folder: URL)
  /// Holds checkpoint.safetensors, losses.csv, report.html and samples/.
  public var runDirectory: URL
  /// Where the final model is written.
  public var modelPath: URL
  public var checkpointEvery = 500
  public var resume = false
  /// Stop after this many steps in total (short runs, tests); nil: the configured epochs.
  public var maxSteps: Int?
  /// The processes training together (data parallel); each step's batch is `batchSize` images per process.
  public var communicator: any Communicator = SingleProcess()

  public init(domainA: (String, URL), domainB: (String, URL), runDirectory: URL, modelPath: URL) {
    self.domainA = domainA
    self.domainB = domainB
    self.runDirectory = runDirectory
    self.modelPath = modelPath
  }

  public var checkpointURL: URL { runDirectory.appendingPathComponent("checkpoint.safetensors") }
}

public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// A loss became NaN or infinite; training stopped, the last checkpoint (if any) is untouched.
  case nonFiniteLoss(step: Int, losses: [String], lastCheckpoint: String?)
  /// An output location cannot be written.
  case unwritable(path: String, reason: String)
  /// --resume without a checkpoint.
  case noCheckpoint(path: String)
  /// A configuration the method's model cannot take (a programmer's mix-up of methods).
  case methodMismatch(expected: TrainingMethod, got: TrainingMethod)
  /// The ranks' weights differ at a checkpoint (listed: the ranks that differ from rank 0); nothing was written.
  case replicasDiverged(step: Int, ranks: [Int])
  /// A checkpoint saved by one number of processes cannot continue with another at this point of its epoch.
  case cannotResume(savedRanks: Int, ranks: Int, reason: String)
  /// A collective between the ranks failed.
  case communication(CommunicationError)

  public var description: String {
    switch self {
    case .nonFiniteLoss(let step, let losses, let checkpoint):
      "step \(step): loss \(losses.joined(separator: ", ")) is not finite; training stopped. "
        + (checkpoint.map { "The last good checkpoint is \($0) (resume with --resume, perhaps with a lower --lr)." }
          ?? "No checkpoint was written yet.")
    case .unwritable(let path, let reason): "\(path): cannot write: \(reason)"
    case .noCheckpoint(let path): "\(path): no checkpoint to resume from"
    case .methodMismatch(let expected, let got): "a \(got.rawValue) configuration given to a \(expected.rawValue) model"
    case .replicasDiverged(let step, let ranks):
      "step \(step): the weights of rank(s) \(ranks.map(String.init).joined(separator: ", ")) differ from rank 0's; "
        + "training stopped without writing this checkpoint (the last one is intact)"
    case .cannotResume(let saved, let ranks, let reason):
      "the checkpoint was written by \(saved) process(es) and cannot continue with \(ranks): \(reason)"
    case .communication(let error): error.description
    }
  }
}

/// What a run is, told once at its start to whoever presents it.
public struct TrainingStart {
  public let options: TrainingOptions
  /// The configuration in force (a resumed run's comes from its checkpoint); its method is the run's.
  public let configuration: any TrainingConfiguration
  /// Usable images of each domain (paired data: the pairs, in both).
  public let itemsA: Int, itemsB: Int, iterationsPerEpoch: Int, totalSteps: Int
  /// losses.csv's loss columns, and the losses the run reports grouped for charts (unused terms left out).
  public let lossColumns: [String]
  public let lossGroups: [LossGroup]
  /// Files that do not decode, with their reasons.
  public let skipped: [String]
  /// The step a resumed run continues from; nil for a fresh run.
  public let resumedAt: Int?
  /// The log rows kept from before a resume.
  public let previousRecords: [LossRecord]
  /// Processes training together, and the images of one step over all of them.
  public let ranks: Int, imagesPerStep: Int
}

/// What the trainer reports as it goes.
public enum TrainingEvent {
  case started(TrainingStart)
  case step(LossRecord)
  case checkpoint(path: String, progress: TrainingProgress, samples: SampleRow)
  case finished(modelPath: String, TrainingProgress)
}

public enum Trainer {
  /// Runs (or resumes) training and writes the model; returns where it stopped. The method is the
  /// configuration's, or a resumed checkpoint's.
  @discardableResult
  public static func run(_ options: TrainingOptions, events: (TrainingEvent) throws -> Void = { _ in }) throws
    -> TrainingProgress
  {
    var method = options.configuration.method
    if options.resume, let resumed = TrainingMethod(checkpointAt: options.checkpointURL.path) { method = resumed }
    return try run(method.model, options, events: events)
  }

  private static func run<Model: TrainableModel>(
    _ type: Model.Type, _ options: TrainingOptions,
    events report: (TrainingEvent) throws -> Void
  ) throws -> TrainingProgress {
    let ranks = options.communicator
    // Rank 0 alone writes files and reports; the others print nothing but errors.
    func events(_ event: TrainingEvent) throws { if ranks.isRoot { try report(event) } }
    try validate(options)
    let (a, b) = (options.domainA, options.domainB)
    let data: any TrainingData =
      Model.paired
      ? try PairedData(a: a, b: b, augmentation: options.augmentation)
      : try UnpairedData(a: a, b: b, augmentation: options.augmentation)
    if ranks.isRoot { try prepareOutputs(options) }

    var model: Model
    var progress = TrainingProgress()
    if options.resume {
      guard FileManager.default.fileExists(atPath: options.checkpointURL.path) else {
        throw TrainingError.noCheckpoint(path: options.checkpointURL.path)
      }
      (model, progress) = try Model.loadCheckpoint(from: options.checkpointURL.path)
      // The checkpoint's configuration is the one in force: the crop must suit its networks too.
      var resumed = options
      resumed.configuration = model.configuration
      try validate(resumed)
      progress = try continued(progress, batchSize: model.configuration.batchSize, ranks: ranks.size)
    } else {
      guard let configuration = options.configuration as? Model.Configuration else {
        throw TrainingError.methodMismatch(expected: Model.Configuration().method, got: options.configuration.method)
      }
      model = try Model(configuration)
    }
    model.replicas = Replicas(ranks)
    progress.ranks = ranks.size > 1 ? ranks.size : nil
    let c = model.configuration
    try model.prepare(for: options)
    let columns = Model.Losses.columnNames
    let log =
      ranks.isRoot
      ? try TrainingLog(
        url: options.runDirectory.appendingPathComponent("losses.csv"), columns: columns,
        keepThrough: progress.step) : nil
    let imagesPerStep = c.batchSize * ranks.size
    let perEpoch = (data.itemsPerEpoch + imagesPerStep - 1) / imagesPerStep
    // The steps left from where the run stands (the same as epochs × steps per epoch unless resumed with another
    // number of processes, whose steps per epoch differ).
    let left = perEpoch - progress.iteration + perEpoch * (c.totalEpochs - progress.epoch)
    let total = min(options.maxSteps ?? Int.max, progress.step + max(left, 0))
    let shown = model.lossGroups.flatMap(\.columns)
    try events(
      .started(
        TrainingStart(
          options: options, configuration: c, itemsA: Model.paired ? data.itemsPerEpoch : data.domainA.usable.count,
          itemsB: Model.paired ? data.itemsPerEpoch : data.domainB.usable.count, iterationsPerEpoch: perEpoch,
          totalSteps: total,
          lossColumns: columns.filter(shown.contains), lossGroups: model.lossGroups, skipped: data.skipped,
          resumedAt: options.resume ? progress.step : nil, previousRecords: log?.records ?? [],
          ranks: ranks.size, imagesPerStep: imagesPerStep)))
    let sample = data.samples(options.augmentation, channels: c.generator.inChannels)
    for image in [sample.a, sample.b] { try checkTrainable(image, c) }
    var lastCheckpoint: String? = options.resume ? options.checkpointURL.path : nil

    func checkpoint() throws {
      // Every rank must hold the same weights; a difference stops the run before anything is written.
      try model.replicas.checkAgreement(hash: Replicas.hash(model.networks), step: progress.step)
      lastCheckpoint = options.checkpointURL.path
      guard ranks.isRoot else { return }
      try model.saveCheckpoint(to: options.checkpointURL.path, progress: progress)
      try events(
        .checkpoint(path: options.checkpointURL.path, progress: progress, samples: model.samples(sample.a, sample.b)))
    }

    training: while progress.epoch <= c.totalEpochs && progress.step < total {
      model.setEpoch(progress.epoch)
      let batches = data.batches(
        augmentation: options.augmentation, batchSize: imagesPerStep, channels: c.generator.inChannels,
        seed: c.seed, epoch: progress.epoch, startIteration: progress.iteration)
      while let (globalA, globalB) = batches.next() {
        try checkTrainable(globalA, c)
        try checkTrainable(globalB, c)
        let start = Date()
        let share = BatchShare(
          perRank: c.batchSize, ranks: ranks.size, rank: ranks.rank, global: globalA.shape[0])
        model.replicas.share = share
        let stepLosses = model.trainingStep(realA: share.local(globalA), realB: share.local(globalB))
        let losses: [NamedLoss]
        do {
          try model.replicas.check()
          losses = try model.replicas.averaged(stepLosses.named)
        } catch { throw TrainingError.communication(error) }
        let nonFinite = losses.filter { !$0.value.isFinite }.map(\.name)
        guard nonFinite.isEmpty else {
          throw TrainingError.nonFiniteLoss(step: progress.step + 1, losses: nonFinite, lastCheckpoint: lastCheckpoint)
        }
        progress.step += 1
        progress.iteration += 1
        progress.seconds += Date().timeIntervalSince(start)
        let record = LossRecord(
          step: progress.step, epoch: progress.epoch, iteration: progress.iteration,
          seconds: progress.seconds, learningRate: model.learningRate, losses: losses)
        try log?.append(record)
        try events(.step(record))
        if progress.step % options.checkpointEvery == 0 { try checkpoint() }
        if progress.step >= total { break training }
      }
      progress.epoch += 1
      progress.iteration = 0
    }
    if progress.step % options.checkpointEvery != 0 { try checkpoint() }
    if ranks.isRoot {
      try model.saveModel(
        to: options.modelPath.path, domainA: a.name, domainB: b.name,
        imageSize: options.augmentation.cropSize, progress: progress)
    }
    try events(.finished(modelPath: options.modelPath.path, progress))
    return progress
  }

  /// Where a run saved by `progress.ranks` processes continues with `ranks`: at the same image of its epoch,
  /// which needs the images consumed so far to be a whole number of the new steps.
  static func continued(_ progress: TrainingProgress, batchSize: Int, ranks: Int) throws -> TrainingProgress {
    let saved = progress.ranks ?? 1
    guard saved != ranks else { return progress }
    let consumed = progress.iteration * batchSize * saved
    guard consumed % (batchSize * ranks) == 0 else {
      throw TrainingError.cannotResume(
        savedRanks: saved, ranks: ranks,
        reason: "it stopped after \(consumed) images of epoch \(progress.epoch), not a multiple of the "
          + "\(batchSize * ranks) images of a step with \(ranks) (resume with \(saved) processes)")
    }
    var p = progress
    p.iteration = consumed / (batchSize * ranks)
    p.ranks = ranks
    return p
  }

  /// Options that cannot work, refused before any image is read (and again with a resumed checkpoint's
  /// configuration). Bounds keep hostile numbers from overflowing counts or asking for absurd networks.
  static func validate(_ o: TrainingOptions) throws {
    let c = o.configuration
    let a = o.augmentation
    func invalid(_ m: String) -> TrainingDataError { .invalidOptions(m) }
    let (epochs, count, filters) = (0...Limits.epochs, 1...Limits.batchSize, GeneratorArchitecture.Limits.baseFilters)
    guard count.contains(c.batchSize), o.checkpointEvery >= 1, epochs.contains(c.epochs),
      epochs.contains(c.decayEpochs),
      c.totalEpochs >= 1
    else {
      throw invalid(
        "batch size (1…\(Limits.batchSize)), checkpoint interval and epochs (0…\(Limits.epochs) each, "
          + "at least one in all) are out of range")
    }
    guard filters.contains(c.discriminatorFilters), (1...Limits.discriminatorLayers).contains(c.discriminatorLayers),
      (0...Limits.poolSize).contains(c.poolSize)
    else {
      throw invalid(
        "discriminator filters (\(filters)), discriminator layers (1…\(Limits.discriminatorLayers)) "
          + "or pool size (0…\(Limits.poolSize)) out of range")
    }
    do { try c.generator.checkLimits(source: "the generator options") } catch { throw invalid(error.description) }
    // The side every training image has, where the options alone decide it: it must suit both networks.
    let side: (value: Int, option: String)? =
      switch a.preprocess {
      case .crop: (a.cropSize, "--crop-size")
      case .resizeAndCrop, .scaleWidthAndCrop: (min(a.loadSize, a.cropSize), "--load-size/--crop-size")
      case .scaleWidth: (a.loadSize, "--load-size")
      case .none: nil
      }
    if let side {
      guard side.value % c.generator.sizeMultiple == 0 else {
        throw invalid(
          "\(side.option) gives \(side.value)-pixel images; \(c.generator.summary) needs a multiple of "
            + "\(c.generator.sizeMultiple)")
      }
      guard side.value >= c.minimumTrainingSide else {
        throw invalid(
          "\(side.option) gives \(side.value)-pixel images, too small for the discriminator (at least "
            + "\(c.minimumTrainingSide))")
      }
    }
    if c.batchSize * o.communicator.size > 1 && [.scaleWidth, .none].contains(a.preprocess) {
      throw invalid(
        "--batch-size > 1 (or more than one process) needs equal image sizes: use a crop preprocess mode")
    }
  }

  /// Modes whose image sizes depend on the images (scale_width's height, none): each batch, images (N, C, H, W),
  /// is checked before it reaches the networks.
  static func checkTrainable(_ images: Tensor, _ c: some TrainingConfiguration) throws {
    let (h, w) = (images.shape[2], images.shape[3])
    let multiple = c.generator.sizeMultiple
    guard h % multiple == 0, w % multiple == 0, min(h, w) >= c.minimumTrainingSide else {
      throw TrainingDataError.invalidOptions(
        "an image preprocessed to \(w)×\(h) does not suit the networks (sides must be multiples of \(multiple) and at "
          + "least \(c.minimumTrainingSide)); use --preprocess crop or resize_and_crop")
    }
  }

  /// Upper bounds of the training options (far above any real run).
  enum Limits {
    static let epochs = 100_000, batchSize = 1024, discriminatorLayers = 8, poolSize = 10_000
  }

  /// Creates the run folder and the model's folder and checks both can be written.
  static func prepareOutputs(_ o: TrainingOptions) throws {
    for dir in [
      o.runDirectory, o.runDirectory.appendingPathComponent("samples"), o.modelPath.deletingLastPathComponent(),
    ] {
      do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let probe = dir.appendingPathComponent(".write-test-\(ProcessInfo.processInfo.processIdentifier)")
        try Data().write(to: probe)
        try FileManager.default.removeItem(at: probe)
      } catch {
        throw TrainingError.unwritable(path: dir.path, reason: (error as NSError).localizedDescription)
      }
    }
  }
}
