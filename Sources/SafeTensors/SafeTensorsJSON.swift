// A small strict JSON (RFC 8259) parser and string quoter for safetensors headers. Our own rather than
// Foundation's JSONSerialization because that silently keeps one of two duplicate keys (the format forbids
// duplicate tensor names), turns large integers into Doubles, and recurses without a depth limit.

/// A parsed JSON value. Objects keep their keys in file order; numbers keep their text so that integers of any
/// size are checked exactly by whoever reads them.
enum JSONValue: Sendable {
  case object([(key: String, value: JSONValue)])
  case array([JSONValue])
  case string(String)
  case number(String)
  case bool(Bool)
  case null

  /// The value as a non-negative integer that fits in `Int`, or nil (negative, fractional, exponent, too big).
  var nonNegativeInt: Int? {
    guard case .number(let text) = self, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
      return nil
    }
    return Int(text)  // nil on overflow
  }
}

/// Where and why a header is not valid JSON. `duplicateKey` is set when an object repeats a key, with the
/// nesting `depth` of that object (1 for the header's top-level object).
struct JSONSyntaxError: Error {
  let offset: Int
  let message: String
  var duplicateKey: String? = nil
  var depth = 0
}

/// Recursive-descent parser over UTF-8 bytes (the caller has checked they are valid UTF-8).
struct JSONParser {
  /// Deeper nesting is refused rather than risking the stack on hostile input.
  static let maxDepth = 64

  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  private var depth = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  /// Parses one value surrounded by optional whitespace, and nothing else.
  mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
    let value = try parseValue()
    skipWhitespace()
    guard position == bytes.count else { throw fail("unexpected content after the top-level value") }
    return value
  }

  private func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, message: message) }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private mutating func skipWhitespace() {
    while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
    guard current == byte else { throw fail("expected \(what)") }
    position += 1
  }

  private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    skipWhitespace()
    guard let c = current else { throw fail("unexpected end of header") }
    switch c {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try parseLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try parseLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try parseLiteral("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    default: throw fail("unexpected character '\(Unicode.Scalar(c))'")
    }
  }

  private mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    guard depth <= JSONParser.maxDepth else { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
  }

  private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    position += 1  // "{"
    var members: [(key: String, value: JSONValue)] = []
    var seen = Set<String>()
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
      let keyOffset = position
      let key = try parseString()
      guard seen.insert(key).inserted else {
        throw JSONSyntaxError(offset: keyOffset, message: "duplicate key \"\(key)\"", duplicateKey: key, depth: depth)
      }
      skipWhitespace()
      try expect(UInt8(ascii: ":"), "':' after a key")
      members.append((key, try parseValue()))
      skipWhitespace()
      if current == UInt8(ascii: ",") {
        position += 1
        continue
      }
      try expect(UInt8(ascii: "}"), "',' or '}' in an object")
      depth -= 1
      return .object(members)
    }
  }

  private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    position += 1  // "["
    var elements: [JSONValue] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      elements.append(try parseValue())
      skipWhitespace()
      if current == UInt8(ascii: ",") {
        position += 1
        continue
      }
      try expect(UInt8(ascii: "]"), "',' or ']' in an array")
      depth -= 1
      return .array(elements)
    }
  }

  private mutating func parseLiteral(_ word: StaticString) throws(JSONSyntaxError) {
    let count = word.utf8CodeUnitCount
    guard bytes.count - position >= count,
      (0..<count).allSatisfy({ bytes[position + $0] == word.utf8Start[$0] })
    else { throw fail("invalid literal") }
    position += count
  }

  /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, returned as its text.
  private mutating func parseNumber() throws(JSONSyntaxError) -> String {
    let start = position
    func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    if current == UInt8(ascii: "-") { position += 1 }
    if current == UInt8(ascii: "0") {
      position += 1
    } else {
      guard isDigit(current) else { throw fail("invalid number") }
      while isDigit(current) { position += 1 }
    }
    if current == UInt8(ascii: ".") {
      position += 1
      guard isDigit(current) else { throw fail("invalid number: digits expected after '.'") }
      while isDigit(current) { position += 1 }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard isDigit(current) else { throw fail("invalid number: digits expected in the exponent") }
      while isDigit(current) { position += 1 }
    }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
  }

  /// A string with its escapes resolved; raw control characters and lone surrogates are errors.
  private mutating func parseString() throws(JSONSyntaxError) -> String {
    position += 1  // opening quote
    var result = ""
    var runStart = position
    while true {
      guard let c = current else { throw fail("unterminated string") }
      if c == UInt8(ascii: "\"") {
        result += String(decoding: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
        position += 1
        return result
      }
      guard c >= 0x20 else { throw fail("control character in a string") }
      if c == UInt8(ascii: "\\") {
        result += String(decoding: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
        position += 1
        result.unicodeScalars.append(try parseEscape())
        runStart = position
      } else {
        position += 1
      }
    }
  }

  private mutating func parseEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
    guard let c = current else { throw fail("unterminated escape") }
    position += 1
    switch c {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"):
      let unit = try parseHex4()
      if unit >= 0xD800 && unit < 0xDC00 {  // high surrogate: a low one must follow
        guard current == UInt8(ascii: "\\") else { throw fail("lone surrogate in \\u escape") }
        position += 1
        guard current == UInt8(ascii: "u") else { throw fail("lone surrogate in \\u escape") }
        position += 1
        let low = try parseHex4()
        guard low >= 0xDC00 && low < 0xE000 else { throw fail("lone surrogate in \\u escape") }
        let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        guard let scalar = Unicode.Scalar(value) else { throw fail("invalid \\u escape") }
        return scalar
      }
      guard let scalar = Unicode.Scalar(unit) else { throw fail("lone surrogate in \\u escape") }
      return scalar
    default:
      throw fail("invalid escape '\\\(Unicode.Scalar(c))'")
    }
  }

  private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let c = current else { throw fail("unterminated \\u escape") }
      let digit: UInt8
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
      default: throw fail("invalid hex digit in \\u escape")
      }
      value = value << 4 | UInt32(digit)
      position += 1
    }
    return value
  }
}

/// `s` as a JSON string literal: quotes, backslashes and control characters escaped, the rest kept as UTF-8.
func jsonQuoted(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case _ where scalar.value < 0x20:
      let hex = String(scalar.value, radix: 16)
      out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}
