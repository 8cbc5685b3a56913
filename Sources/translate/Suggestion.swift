// Nearest-word hints for command-line typos: a subcommand (`translate modles` → models) or a value of a fixed set
// (`--method cyclgan` → cyclegan), by optimal-string-alignment edit distance (Levenshtein plus adjacent
// transpositions, Damerau 1964) over the names and values ArgumentParser itself knows, read from its description
// of the command tree (the JSON that --experimental-dump-help prints and generate-manual reads). Unknown options
// already get ArgumentParser's own "Did you mean".

import ArgumentParser
import Foundation

/// The part of ArgumentParser's command description (ToolInfo, serialization version 0) that hints need.
struct CommandTree: Decodable, Sendable {
  struct Name: Decodable, Sendable {
    let kind: String  // "long", "short", "longWithSingleDash"
    let name: String
  }
  struct Argument: Decodable, Sendable {
    let kind: String  // "positional", "option", "flag"
    let names: [Name]?
    let allValues: [String]?
  }
  let commandName: String
  let subcommands: [CommandTree]?
  let defaultSubcommand: String?
  let arguments: [Argument]?

  /// The tree of `command` as ArgumentParser describes it.
  static func of(_ command: any ParsableCommand.Type) -> CommandTree? {
    struct Description: Decodable { let command: CommandTree }
    return try? JSONDecoder().decode(Description.self, from: Data(command._dumpHelp().utf8)).command
  }

  func subcommand(_ name: String) -> CommandTree? { subcommands?.first { $0.commandName == name } }
}

/// A likely meant word for a mistyped one.
enum Suggestion: Equatable {
  /// `typo` stands where a subcommand of `path` (e.g. ["translate", "bench"]) was expected.
  case command(typo: String, path: [String], suggestion: String)
  /// `typo` is no value of `option` (e.g. "--method"; empty for a positional argument).
  case value(option: String, typo: String, suggestion: String)

  /// The line shown under the error.
  var message: String {
    switch self {
    case .command(let typo, let path, let suggestion):
      "'\(typo)' is not a command of \(path.joined(separator: " ")). "
        + "Did you mean '\((path + [suggestion]).joined(separator: " "))'?"
    case .value(let option, _, let suggestion):
      option.isEmpty ? "Did you mean '\(suggestion)'?" : "Did you mean '\(option) \(suggestion)'?"
    }
  }

  /// The hint for `arguments` (without the program name), or nil. `isFile` tells a path the default command
  /// takes (an input named like a command) from a typo.
  static func find(in arguments: [String], tree root: CommandTree, isFile: (String) -> Bool) -> Suggestion? {
    var command = root
    var path = [root.commandName]
    var i = 0
    while i < arguments.count, let next = command.subcommand(arguments[i]) {
      command = next
      path.append(next.commandName)
      i += 1
    }
    if i < arguments.count, let names = command.subcommands?.map(\.commandName), !arguments[i].hasPrefix("-"),
      !isFile(arguments[i]), let word = nearest(arguments[i], among: names)
    {
      return .command(typo: arguments[i], path: path, suggestion: word)
    }
    if let name = command.defaultSubcommand, let inner = command.subcommand(name) { command = inner }
    return valueTypo(in: Array(arguments[i...]), of: command)
  }

  /// The first option or positional value outside its argument's fixed set that is near one of its values.
  static func valueTypo(in arguments: [String], of command: CommandTree) -> Suggestion? {
    let all = command.arguments ?? []
    let positionals = all.filter { $0.kind == "positional" }
    var bare = 0
    var i = 0
    while i < arguments.count, arguments[i] != "--" {
      let token = arguments[i]
      i += 1
      guard token.hasPrefix("-"), token.count > 1 else {
        if bare < positionals.count, let word = nearest(token, among: positionals[bare].allValues ?? []) {
          return .value(option: "", typo: token, suggestion: word)
        }
        bare += 1
        continue
      }
      let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
      let name = parts[0].drop { $0 == "-" }
      guard let argument = all.first(where: { $0.names?.contains { $0.name == name } ?? false }),
        argument.kind == "option"
      else { continue }
      let value: String
      if parts.count == 2 {
        value = parts[1]
      } else if i < arguments.count {
        value = arguments[i]
        i += 1
      } else {
        continue
      }
      if let word = nearest(value, among: argument.allValues ?? []) {
        return .value(option: parts[0], typo: value, suggestion: word)
      }
    }
    return nil
  }

  /// The closest of `candidates` to `word` when `word` is not one of them and is close enough: at most 1 edit
  /// for words of up to 4 characters, 2 up to 8, else 3. Ties go to the first candidate.
  static func nearest(_ word: String, among candidates: [String]) -> String? {
    guard !candidates.isEmpty, !candidates.contains(word) else { return nil }
    let allowed = word.count <= 4 ? 1 : word.count <= 8 ? 2 : 3
    let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0)) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= allowed else { return nil }
    return best.candidate
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of adjacent characters,
  /// each 1 ("modles" → "models" is 1).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let (s, t) = (Array(a), Array(b))
    if s.isEmpty || t.isEmpty { return max(s.count, t.count) }
    // d[i][j]: distance between the first i characters of s and the first j of t.
    var d = [[Int]](repeating: [Int](repeating: 0, count: t.count + 1), count: s.count + 1)
    for i in 0...s.count { d[i][0] = i }
    for j in 0...t.count { d[0][j] = j }
    for i in 1...s.count {
      for j in 1...t.count {
        let cost = s[i - 1] == t[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[s.count][t.count]
  }
}
