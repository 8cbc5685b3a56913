// The `translate` command line: subcommands only parse, validate, call the library and print. Translation
// (`run`) is the default, so `translate --from day --to night IN -o OUT` needs no subcommand name.

import ArgumentParser

@main
struct Translate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "translate",
    abstract: "Unpaired image-to-image translation (CycleGAN) and style transfer on the CPU.",
    subcommands: [
      Run.self, Models.self, Train.self, Eval.self, Dataset.self, Style.self, TrainStyle.self, Bench.self,
      Inspect.self, Convert.self, Export.self,
    ],
    defaultSubcommand: Run.self)
}
