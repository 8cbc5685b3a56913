// Temporary entry point of the codecs branch so `translate inspect` can be run and tested here; at merge
// main's Translate.swift (`@main struct Translate`) replaces this file and registers Inspect.self.
import ArgumentParser

struct Translate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "translate", abstract: "Unpaired image-to-image translation on the CPU.",
    subcommands: [Inspect.self])
}

Translate.main()
