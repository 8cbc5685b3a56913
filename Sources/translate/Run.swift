// `translate [run] --from A --to B INPUT... -o OUTPUT` (the default subcommand): finds the model, builds the
// job, runs it with a progress line and prints the summary. All logic is in Translation/Inference. Under
// mpirun/srun (or with --shard i/n) each process translates its part (Shard.swift); rank 0 prints the merged summary.

import ArgumentParser
import Distributed
import Foundation
import Translation

extension ImageFormat: ExpressibleByArgument {
  public init?(argument: String) { self.init(fileExtension: argument) }
}
extension Direction: ExpressibleByArgument {}
extension ByteCount: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Translate images or folders from one domain to another (the default command).",
    discussion: """
      Existing outputs are skipped unless --overwrite, so re-running finishes an interrupted job. `translate models` \
      shows where models are looked for.

      Examples:
        translate --from day --to night photo.jpg -o night.jpg
        translate --from day --to night photos/ -o night/ --format png
        translate --model models/day-night.safetensors --direction BtoA in/ -o out/
        translate --from day --to night photos/ -o night/ --shard 0/8
      """)

  @Option(help: "Source domain (with --to: the model is looked up in --models-dir).") var from: String?
  @Option(help: "Target domain.") var to: String?
  @Option(help: "A model file instead of the lookup: ours or a plain PyTorch generator state_dict.") var model: String?
  @Option(help: "With --model: which generator of a two-generator file (AtoB or BtoA).") var direction: Direction?
  @OptionGroup var models: ModelsDirOption
  @Argument(help: "Image files or folders (searched recursively for .png, .jpg, .jpeg).") var inputs: [String] = []
  @Option(name: .shortAndLong, help: "Output file (one input file) or folder.") var output: String?
  @Option(help: "Write every output in this format (png or jpg) instead of the input's.") var format: ImageFormat?
  @Option(help: "JPEG quality 1–100.") var quality = 92
  @Flag(help: "Replace existing outputs (default: skip them).") var overwrite = false
  @OptionGroup var compute: ThreadsOption
  @Option(help: "Memory bound for one image's translation, e.g. 512M, 2G; larger images are tiled.")
  var maxMemory = ByteCount.defaultBudget
  @Option(help: "Always tile, with tiles of this many pixels (plus overlap).") var tile: Int?
  @Flag(
    help: """
      For images tiled to fit --max-memory: take InstanceNorm statistics from a downscaled copy (one extra pass, \
      approximate) instead of computing them exactly tile by tile (one pass per norm layer).
      """)
  var fastStatistics = false
  @Flag(help: "Print the summary as JSON on standard output.") var json = false
  @Option(
    help: ArgumentHelp(
      "Translate only part INDEX (0-based) of COUNT: item k of the sorted inputs belongs to part k mod COUNT.",
      discussion: "For array jobs (Slurm --array=0-7 with --shard $SLURM_ARRAY_TASK_ID/8, Kubernetes indexed jobs). "
        + "Under mpirun the ranks split the job (or the part) among themselves without it.",
      valueName: "INDEX/COUNT"),
    transform: { try Shard(parsing: $0) })
  var shard: Shard?

  func validate() throws {
    if (from == nil) != (to == nil) { throw ValidationError("give both --from and --to") }
    if model == nil && from == nil { throw ValidationError("give --from A --to B, or --model FILE") }
    if direction != nil && (model == nil || from != nil) {
      throw ValidationError("--direction goes with --model alone; --from/--to already choose the direction")
    }
    guard !inputs.isEmpty else { throw ValidationError("give at least one input image or folder") }
    guard output != nil else { throw ValidationError("give the output with -o FILE or -o FOLDER") }
    guard (1...100).contains(quality) else { throw ValidationError("--quality must be in 1...100, got \(quality)") }
    if let tile, tile < 16 { throw ValidationError("--tile must be at least 16 pixels, got \(tile)") }
    guard maxMemory.bytes >= 64 << 20 else { throw ValidationError("--max-memory must be at least 64M") }
  }

  func run() throws {
    compute.apply()
    guard let output else { throw ValidationError("give the output with -o FILE or -o FOLDER") }
    // mpirun/srun: this process is one rank of the job (after the BLAS restart in Translate.main).
    let ranks = try Launcher(environment: ProcessInfo.processInfo.environment).communicator()
    let part = (shard ?? .whole).split(rank: ranks.rank, of: ranks.size)
    let job = try TranslationJob.plan(inputs: inputs, output: output, format: format, quality: quality).part(part)
    let (model, chosen) = try chooseModel()
    let translator = try ImageTranslator(
      model: model, direction: chosen, budget: maxMemory, tile: tile, fastStatistics: fastStatistics)
    // Rank 0 shows its own progress and the merged summary; the other ranks are silent.
    let progress = ranks.isRoot ? ProgressPrinter(total: job.items.count) : nil
    progress?.start(
      model: model.path, direction: chosen, architecture: translator.architecture, threads: ComputeThreads.count)
    let summary = try BatchTranslation.run(job, translator: translator, options: BatchOptions(overwrite: overwrite)) {
      progress?.report($0, $1)
    }.merged(over: ranks)
    progress?.finish(summary)
    if json && ranks.isRoot { try Output.json(summary) }
    ranks.finish()
    if !summary.succeeded { throw ExitCode(1) }
  }

  /// The model (read once) and direction from --model/--direction or the registry lookup.
  private func chooseModel() throws -> (TranslationModel, Direction) {
    guard let model else {
      let choice = try ModelRegistry(searchPath: models.searchPath).find(from: from ?? "", to: to ?? "")
      return (try TranslationModel.load(choice.model.path), choice.direction)
    }
    let loaded = try TranslationModel.load(model)
    guard let from, let to else { return (loaded, direction ?? .aToB) }
    guard let found = ModelRegistry.direction(of: loaded.modelDescription, from: from, to: to) else {
      throw ModelLookupError.domainsNotInModel(path: model, from: from, to: to, has: loaded.modelDescription.domains)
    }
    return (loaded, found)
  }
}
