// Help that teaches: every command's --help ends its overview with 2–4 examples that parse, and mistyped commands
// and values get the nearest valid word (the binary's stderr), by an edit distance checked on known pairs.

import Foundation
import Testing

@testable import translate

@Suite struct HelpAndTypoTests {
  static let commands = ["run", "models", "train", "eval", "dataset", "style", "train-style", "bench", "inspect"]

  @Test(arguments: commands)
  func helpEndsWithExamplesThatParse(_ command: String) throws {
    let help = try CLI.run([command, "--help"], in: FileManager.default.temporaryDirectory.path)
    #expect(help.status == 0)
    let overview = help.stdout.components(separatedBy: "USAGE:")[0]
    let examples = try #require(overview.components(separatedBy: "Examples:\n").last).split(separator: "\n")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    #expect((2...4).contains(examples.count) && overview.contains("Examples:"), "\(help.stdout)")
    for example in examples {
      // Leading VAR=value words set the environment; the rest is the command line.
      let words = example.split(separator: " ").map(String.init).drop { $0.contains("=") && !$0.hasPrefix("-") }
      #expect(words.first == "translate", "\(example)")
      #expect(throws: Never.self, "\(example)") { _ = try Translate.parseAsRoot(Array(words.dropFirst())) }
    }
  }

  @Test func editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
    #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    #expect(Suggestion.editDistance("modles", "models") == 1)
    #expect(Suggestion.editDistance("", "abc") == 3 && Suggestion.editDistance("abc", "") == 3)
    #expect(Suggestion.editDistance("ca", "abc") == 3)  // OSA: no edit of a swapped pair
    #expect(Suggestion.nearest("quik", among: ["quick", "standard", "tiny"]) == "quick")
    #expect(Suggestion.nearest("xyzzy", among: ["quick", "standard", "tiny"]) == nil)
    #expect(Suggestion.nearest("quick", among: ["quick", "standard"]) == nil)
  }

  @Test(arguments: [
    (["modles"], "Did you mean 'translate models'?"),
    (["trian", "--from", "a", "--to", "b"], "Did you mean 'translate train'?"),
    (["bench", "convz"], "Did you mean 'translate bench convs'?"),
    (["train", "--from", "a", "--to", "b", "--method", "cyclgan"], "Did you mean '--method cyclegan'?"),
    (["train", "--from", "a", "--to", "b", "--preset=quik"], "Did you mean '--preset quick'?"),
    (
      ["train", "--from", "a", "--to", "b", "--generator", "resnet_9block"],
      "Did you mean '--generator resnet_9blocks'?"
    ),
    (["dataset", "day-nigth", "--count", "1", "--size", "16", "--seed", "1"], "Did you mean 'day-night'?"),
  ])
  func typosSuggestTheNearestValidWord(_ arguments: [String], _ hint: String) throws {
    let result = try CLI.run(arguments, in: FileManager.default.temporaryDirectory.path)
    #expect(result.status == 64 && result.stderr.contains(hint), "\(result.stderr)")
  }

  @Test func farOffWordsGetNoSuggestionButTheListOfValues() throws {
    let result = try CLI.run(
      ["train", "--from", "a", "--to", "b", "--method", "xyzzy"], in: FileManager.default.temporaryDirectory.path)
    #expect(result.status == 64 && !result.stderr.contains("Did you mean") && result.stderr.contains("'fastcut'"))
  }
}
