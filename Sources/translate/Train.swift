// `translate train --from A --to B [--method cyclegan|pix2pix|cut|fastcut]`: every junyanz (and taesungp, for CUT)
// training option under a readable name, gathered into overrides of a method's preset (merged by the library),
// resume, and progress (TrainingProgressPrinter).

import ArgumentParser
import Distributed
import Foundation
import TensorBoardEvents
import TrainingReport
import Translation

extension GeneratorKind: ExpressibleByArgument {}
extension DiscriminatorKind: ExpressibleByArgument {}
extension NormKind: ExpressibleByArgument {}
extension InitKind: ExpressibleByArgument {}
extension GANMode: ExpressibleByArgument {}
extension Preprocess: ExpressibleByArgument {}
extension TrainingPreset: ExpressibleByArgument {}
extension Upsampling: ExpressibleByArgument {}
extension TrainingMethod: ExpressibleByArgument {}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a CycleGAN (or CUT, FastCUT) between two folders of unpaired images, or pix2pix on paired ones.",
    discussion: "Domains are folders under --dataroot (datasets/NAME) unless --dir-a/--dir-b name them. "
      + "pix2pix (--method pix2pix, or --paired) pairs the files of the same name in both folders and learns A → B only. "
      + "CUT and FastCUT (--method cut|fastcut) learn A → B only from unpaired images with a contrastive (PatchNCE) loss. "
      + "The model is written to --models-dir as A-B.safetensors; the run folder (--runs-dir/A-B) holds the "
      + "checkpoint, losses.csv and report.html; --tensorboard DIR also writes TensorBoard event files.\n\n"
        + """
        Examples:
          translate train --from day --to night --preset quick
          translate train --from day --to night --resume
          translate train --from photo --to sketch --paired --dataroot data
          translate train --from horse --to zebra --method fastcut --tensorboard tb
        """)

  @Option(help: "Name of domain A.") var from: String
  @Option(help: "Name of domain B.") var to: String
  @Option(
    help:
      "Training method: \(TrainingMethod.allCases.map(\.rawValue).joined(separator: ", ")) (a resumed run keeps its own)."
  )
  var method: TrainingMethod?
  @Flag(help: "Paired data: the same as --method pix2pix.") var paired = false
  @Option(help: "Starting point: \(TrainingPreset.allCases.map(\.rawValue).joined(separator: ", ")).") var preset =
    TrainingPreset.quick
  @Option(help: "Folder holding one folder per domain.") var dataroot = "datasets"
  @Option(help: "Images of domain A (default: DATAROOT/FROM).") var dirA: String?
  @Option(help: "Images of domain B (default: DATAROOT/TO).") var dirB: String?
  @Option(help: "Where the model is written (./models by default, which `translate` searches from this folder).")
  var modelsDir = "models"
  @Option(help: "Where run folders go.") var runsDir = "runs"
  @Option(help: "Checkpoint every N steps.") var checkpointEvery = 500
  @Option(
    help: ArgumentHelp(
      "Also write TensorBoard event files (losses, learning rate, images/s, sample grids) to DIR/FROM-TO.",
      discussion: "Follow them with: tensorboard --logdir DIR", valueName: "DIR"))
  var tensorboard: String?
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
  @Flag(inversion: .prefixedNo, help: "Dropout in the generators (default: the preset's; junyanz's CycleGAN: off).")
  var dropout: Bool?
  @Option(
    help:
      "How ResNet generators upsample: transposed (junyanz's; leaves a period-2 grid), resize-convolution (nearest ×2 then a 3×3 convolution: no grid) bilinear-resize-convolution (bilinear ×2 then a 3×3 convolution) or colour-transform (no decoder: per-pixel colour transforms of the input, predicted at quarter resolution; keeps the input's edges)."
  )
  var upsampling: Upsampling?
  @OptionGroup var compute: ThreadsOption
  @Option(help: "GAN objective (--gan_mode).") var ganMode: GANMode?
  @Option(help: "Image pool size (--pool_size).") var poolSize: Int?
  @Option(help: "Cycle weight A→B→A (--lambda_A).") var lambdaA: Float?
  @Option(help: "Cycle weight B→A→B (--lambda_B).") var lambdaB: Float?
  @Option(help: "Identity weight as a fraction of the cycle weights (--lambda_identity).") var lambdaIdentity: Float?
  @Option(help: "pix2pix: weight of the L1 distance to the target (--lambda_L1, default 100).") var lambdaL1: Float?
  @Option(help: "CUT/FastCUT: weight of the PatchNCE loss (--lambda_NCE; default 1 for cut, 10 for fastcut).")
  var lambdaNCE: Float?
  @Option(help: "CUT/FastCUT: generator layers contrasted, comma-separated (--nce_layers, default 0,4,8,12,16).")
  var nceLayers: LayerList?
  @Option(help: "CUT/FastCUT: patches sampled per layer (--num_patches, default 256).") var patches: Int?
  @Option(help: "CUT/FastCUT: temperature of the PatchNCE softmax (--nce_T, default 0.07).") var nceTemperature: Float?
  @Flag(
    inversion: .prefixedNo,
    help:
      "CUT/FastCUT: mirror the input at random and the features back (--flip_equivariance; default: fastcut on, cut off)."
  )
  var flipEquivariance: Bool?
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
    guard !from.isEmpty, !to.isEmpty, from != to else {
      throw ValidationError("--from and --to must name two different domains")
    }
    for (name, value) in [
      ("--checkpoint-every", checkpointEvery), ("--max-steps", maxSteps ?? 1), ("--base-filters", baseFilters ?? 1),
      ("--discriminator-filters", discriminatorFilters ?? 1), ("--discriminator-layers", discriminatorLayers ?? 1),
      ("--batch-size", batchSize ?? 1),
      ("--crop-size", cropSize ?? 1), ("--load-size", loadSize ?? 1),
    ] where value < 1 {
      throw ValidationError("\(name) must be at least 1, got \(value)")
    }
    if let poolSize, poolSize < 0 { throw ValidationError("--pool-size must not be negative") }
    if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
    if let lambdaStyle, lambdaStyle < 0 { throw ValidationError("--lambda-style must not be negative") }
    if styleImage != nil && (lambdaStyle ?? 0) == 0 { throw ValidationError("--style-image needs --lambda-style > 0") }
    if paired, let method, method != .pix2pix {
      throw ValidationError("--paired trains pix2pix; it cannot go with --method \(method.rawValue)")
    }
    if let lambdaL1, !(lambdaL1 >= 0) { throw ValidationError("--lambda-l1 must not be negative") }
    if let lambdaNCE, !(lambdaNCE >= 0) { throw ValidationError("--lambda-nce must not be negative") }
    if let patches, patches < 1 { throw ValidationError("--patches must be at least 1, got \(patches)") }
    if let nceTemperature, !(nceTemperature > 0 && nceTemperature.isFinite) {
      throw ValidationError("--nce-temperature must be positive")
    }
    // Options of one method given to another are mistakes, not silently ignored.
    let cycleGANOnly: [(String, Bool)] = [
      ("--pool-size", poolSize != nil), ("--lambda-a", lambdaA != nil),
      ("--lambda-b", lambdaB != nil), ("--lambda-identity", lambdaIdentity != nil),
      ("--lambda-style", lambdaStyle != nil),
    ]
    if chosenMethod != .cyclegan, let name = cycleGANOnly.first(where: \.1)?.0 {
      throw ValidationError(
        "\(name) is a cyclegan option; \(chosenMethod.displayName) has no image pool, cycle, identity or style loss")
    }
    if chosenMethod != .pix2pix && lambdaL1 != nil {
      throw ValidationError("--lambda-l1 is a pix2pix option (use --method pix2pix)")
    }
    let cutOnly: [(String, Bool)] = [
      ("--lambda-nce", lambdaNCE != nil), ("--nce-layers", nceLayers != nil), ("--patches", patches != nil),
      ("--nce-temperature", nceTemperature != nil), ("--[no-]flip-equivariance", flipEquivariance != nil),
    ]
    if ![.cut, .fastcut].contains(chosenMethod), let name = cutOnly.first(where: \.1)?.0 {
      throw ValidationError("\(name) is a cut/fastcut option (use --method cut or --method fastcut)")
    }
  }

  /// --method, or pix2pix for --paired; cyclegan by default.
  var chosenMethod: TrainingMethod { method ?? (paired ? .pix2pix : .cyclegan) }

  func run() throws {
    compute.apply()
    // mpirun/srun: one process of a data-parallel run (after the BLAS restart in Translate.main, before any work).
    let ranks = try Launcher(environment: ProcessInfo.processInfo.environment).communicator()
    try train(ranks)
    ranks.finish()
  }

  private func train(_ ranks: any Communicator) throws {
    let (configuration, augmentation) = preset.applying(overrides, method: chosenMethod)
    if let upsampling, upsampling != .transposed, case .unet = configuration.generator {
      throw ValidationError("--upsampling applies to ResNet generators; U-Nets keep their transposed convolutions")
    }
    if configuration is CUTConfiguration, case .unet = configuration.generator {
      throw ValidationError("\(chosenMethod.displayName) contrasts a ResNet generator's layers; use a resnet generator")
    }
    let name = "\(from)-\(to)"
    var options = TrainingOptions(
      domainA: (from, URL(fileURLWithPath: dirA ?? "\(dataroot)/\(from)")),
      domainB: (to, URL(fileURLWithPath: dirB ?? "\(dataroot)/\(to)")),
      runDirectory: URL(fileURLWithPath: "\(runsDir)/\(name)"),
      modelPath: URL(fileURLWithPath: "\(modelsDir)/\(name).safetensors"))
    options.configuration = configuration
    options.augmentation = augmentation
    options.checkpointEvery = checkpointEvery
    options.resume = resume
    options.maxSteps = maxSteps
    options.communicator = ranks
    // Rank 0 prints and writes; the other ranks print nothing but errors (the trainer reports events on rank 0 only).
    if ranks.isRoot {
      Output.line("the model will be written to \(options.modelPath.path) (--models-dir to change)")
    }
    var printer = TrainingProgressPrinter()
    let report = TrainingReport(runDirectory: options.runDirectory)
    let tensorBoard = ranks.isRoot ? tensorboard.map { TensorBoardLog(directory: URL(fileURLWithPath: $0)) } : nil
    if let tensorboard, ranks.isRoot {
      Output.line("TensorBoard events in \(tensorboard)/\(name) (follow with: tensorboard --logdir \(tensorboard))")
    }
    do {
      try Trainer.run(options) { event in
        printer.handle(event)
        try report.handle(event)
        try tensorBoard?.handle(event)
      }
    } catch {
      printer.finishLine()
      throw Output.fail(error)
    }
  }

  /// The options given, as changes to the preset.
  var overrides: TrainingOverrides {
    var o = TrainingOverrides()
    o.generator = generator
    o.baseFilters = baseFilters
    o.dropout = dropout
    o.upsampling = upsampling
    o.norm = norm
    o.discriminator = discriminator
    o.discriminatorFilters = discriminatorFilters
    o.discriminatorLayers = discriminatorLayers
    o.initKind = initType
    o.initGain = initGain
    o.ganMode = ganMode
    o.poolSize = poolSize
    o.lambdaA = lambdaA
    o.lambdaB = lambdaB
    o.lambdaIdentity = lambdaIdentity
    o.lambdaL1 = lambdaL1
    o.lambdaNCE = lambdaNCE
    o.nceLayers = nceLayers?.values
    o.patches = patches
    o.nceTemperature = nceTemperature
    o.flipEquivariance = flipEquivariance
    o.learningRate = lr
    o.beta1 = beta1
    o.epochs = epochs
    o.decayEpochs = decayEpochs
    o.batchSize = batchSize
    o.lambdaStyle = lambdaStyle
    o.styleImage = styleImage
    o.seed = seed
    o.preprocess = preprocess
    o.loadSize = loadSize
    o.cropSize = cropSize
    o.flip = noFlip ? false : nil
    return o
  }
}

/// A comma-separated list of layer indices: `0,4,8,12,16`.
struct LayerList: ExpressibleByArgument {
  let values: [Int]
  init?(argument: String) {
    let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard !parts.isEmpty, parts.allSatisfy({ $0.map { $0 >= 0 } ?? false }) else { return nil }
    values = parts.compactMap { $0 }
  }
}
