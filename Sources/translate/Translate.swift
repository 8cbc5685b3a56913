// The `translate` command line: subcommands only parse, validate, call the library and print.

import ArgumentParser

@main
struct Translate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "translate",
    abstract: "Unpaired image-to-image translation (CycleGAN) and style transfer on the CPU.",
    subcommands: [Train.self, Eval.self, Dataset.self, Style.self, TrainStyle.self, Bench.self, Inspect.self])
}
