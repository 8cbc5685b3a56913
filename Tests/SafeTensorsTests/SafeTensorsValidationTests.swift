// Every safetensors validation error, each from a hand-crafted bad file (checks as huggingface/safetensors).

import Testing

@testable import SafeTensors

@Suite struct SafeTensorsValidationTests {
  /// A valid two-tensor file: a (2) F32 at [0, 8), b (1) F32 at [8, 12).
  let goodHeader =
    #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
  let goodData = floatBytes([1, 2, 3])

  @Test func handCraftedGoodFileReads() throws {
    let file = try SafeTensors.read(data: makeSafeTensors(header: goodHeader, data: goodData), path: "good")
    #expect(file.names == ["a", "b"])
    #expect(try file.tensor("a").scalars == [1, 2])
    #expect(try file.tensor("b").scalars == [3])
  }

  @Test func fileShorterThanTheLengthFieldIsTooSmall() {
    #expect(readError([1, 0, 0, 0, 0]) == .fileTooSmall(path: "crafted.safetensors", size: 5))
    #expect(readError([]) == .fileTooSmall(path: "crafted.safetensors", size: 0))
  }

  @Test func headerLengthOverTheLimitIsRejected() {
    let bytes = makeSafeTensors(header: "{}", length: 100_000_001)
    #expect(readError(bytes) == .headerTooLarge(path: "crafted.safetensors", length: 100_000_001, limit: 100_000_000))
    #expect(readError(makeSafeTensors(header: "{}", length: UInt64.max)) != nil)
  }

  @Test func headerLengthPastTheEndOfTheFileIsRejected() {
    let bytes = makeSafeTensors(header: "{}", length: 3)
    #expect(readError(bytes) == .headerOutOfBounds(path: "crafted.safetensors", length: 3, fileSize: 10))
  }

  @Test func headerNotStartingWithABraceIsRejected() {
    #expect(readError(makeSafeTensors(header: "[]")) == .headerNotObject(path: "crafted.safetensors"))
    #expect(readError(makeSafeTensors(header: " {}")) == .headerNotObject(path: "crafted.safetensors"))
    #expect(readError(makeSafeTensors(header: "")) == .headerNotObject(path: "crafted.safetensors"))
  }

  @Test(arguments: [
    #"{"a":"#, #"{"a":{"dtype":"F32",}}"#, "{} x", #"{"a" 1}"#, "{\"a\u{01}\":1}", #"{"a":tru}"#, #"{"a":01}"#,
    #"{"a":"\ud800"}"#, #"{"a":"\q"}"#, #"{"__metadata__":{"k":1}}"#, #"{"__metadata__":[]}"#,
    #"{"a":{"dtype":"F32","dtype":"F32","shape":[],"data_offsets":[0,4]}}"#,
  ])
  func malformedJSONIsAnInvalidHeader(header: String) {
    guard case .invalidHeader(let path, _)? = readError(makeSafeTensors(header: header)) else {
      Issue.record(
        "expected invalidHeader for \(header), got \(String(describing: readError(makeSafeTensors(header: header))))")
      return
    }
    #expect(path == "crafted.safetensors")
  }

  @Test func headerThatIsNotUTF8IsAnInvalidHeader() {
    var bytes = makeSafeTensors(header: #"{"a":"xx"}"#)
    bytes[14] = 0xFF
    guard case .invalidHeader? = readError(bytes) else {
      Issue.record("expected invalidHeader")
      return
    }
  }

  @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
    let header = #"{"a":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
    guard case .invalidHeader(_, let reason)? = readError(makeSafeTensors(header: header)) else {
      Issue.record("expected invalidHeader")
      return
    }
    #expect(reason.contains("nesting"))
  }

  @Test func offsetsPastTheBufferAreOutOfBounds() {
    let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
    #expect(
      readError(makeSafeTensors(header: header, data: floatBytes([1, 2])))
        == .dataOutOfBounds(path: "crafted.safetensors", tensor: "a", end: 16, bufferSize: 8))
  }

  @Test func offsetsEndingBeforeTheyBeginAreRejected() {
    let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#
    #expect(
      readError(makeSafeTensors(header: header, data: floatBytes([1, 2])))
        == .invalidOffsets(path: "crafted.safetensors", tensor: "a", begin: 8, end: 4))
  }

  @Test func holeBetweenTensorsIsRejected() {
    let header =
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
    #expect(
      readError(makeSafeTensors(header: header, data: goodData))
        == .hole(path: "crafted.safetensors", tensor: "b", begin: 8, expectedBegin: 4))
    let leading = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    #expect(
      readError(makeSafeTensors(header: leading, data: floatBytes([1, 2])))
        == .hole(path: "crafted.safetensors", tensor: "a", begin: 4, expectedBegin: 0))
  }

  @Test func overlappingTensorsAreRejected() {
    let header =
      #"{"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    #expect(
      readError(makeSafeTensors(header: header, data: goodData))
        == .overlap(path: "crafted.safetensors", tensor: "b", previous: "a", begin: 4, previousEnd: 8))
  }

  @Test func duplicateTensorNameIsRejected() {
    let header =
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    #expect(
      readError(makeSafeTensors(header: header, data: floatBytes([1, 2])))
        == .duplicateTensor(path: "crafted.safetensors", tensor: "a"))
    // The same name spelled with an escape is still the same name.
    let escaped =
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\u0061":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    #expect(
      readError(makeSafeTensors(header: escaped, data: floatBytes([1, 2])))
        == .duplicateTensor(path: "crafted.safetensors", tensor: "a"))
  }

  @Test func shapeThatDisagreesWithTheByteCountIsRejected() {
    let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
    #expect(
      readError(makeSafeTensors(header: header, data: floatBytes([1, 2])))
        == .byteCountMismatch(path: "crafted.safetensors", tensor: "a", expected: 12, actual: 8))
    let half = #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#
    #expect(
      readError(makeSafeTensors(header: half, data: floatBytes([1, 2])))
        == .byteCountMismatch(path: "crafted.safetensors", tensor: "a", expected: 4, actual: 8))
  }

  @Test func negativeAndOverflowingShapesAreRejected() {
    let negative = #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#
    guard
      case .invalidShape(_, "a", _, let reason)? = readError(makeSafeTensors(header: negative, data: floatBytes([1])))
    else {
      Issue.record("expected invalidShape")
      return
    }
    #expect(reason.contains("negative"))
    let overflow = #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#
    guard case .invalidShape(_, "a", _, let why)? = readError(makeSafeTensors(header: overflow, data: floatBytes([1])))
    else {
      Issue.record("expected invalidShape")
      return
    }
    #expect(why.contains("overflow"))
    let bytesOverflow = #"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}}"#
    guard case .invalidShape? = readError(makeSafeTensors(header: bytesOverflow, data: floatBytes([1]))) else {
      Issue.record("expected invalidShape")
      return
    }
  }

  @Test(arguments: [
    #"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, #"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#,
    #"{"a":{"dtype":"F32","shape":[1]}}"#, #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}"#,
    #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}"#,
    #"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
    #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}"#, #"{"a":[]}"#,
    #"{"a":{"dtype":7,"shape":[1],"data_offsets":[0,4]}}"#, #"{"a":{"dtype":"F32","shape":1,"data_offsets":[0,4]}}"#,
  ])
  func malformedEntryNamesTheTensor(header: String) {
    guard
      case .invalidTensorEntry(let path, let tensor, _)? = readError(
        makeSafeTensors(header: header, data: floatBytes([1])))
    else {
      Issue.record("expected invalidTensorEntry for \(header)")
      return
    }
    #expect(path == "crafted.safetensors" && tensor == "a")
  }

  @Test func unknownAndUnsupportedDTypesNameTensorAndDType() throws {
    let unknown = #"{"a":{"dtype":"F13","shape":[1],"data_offsets":[0,4]}}"#
    #expect(
      readError(makeSafeTensors(header: unknown, data: floatBytes([1])))
        == .unsupportedDType(path: "crafted.safetensors", tensor: "a", dtype: "F13"))
    let unsupported =
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"m":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#
    let bytes = makeSafeTensors(header: unsupported, data: floatBytes([1, 2]))
    #expect(readError(bytes) == .unsupportedDType(path: "crafted.safetensors", tensor: "m", dtype: "U8"))
    let skipping = try SafeTensors.read(data: bytes, path: "skip", skippingUnsupportedDTypes: true)
    #expect(skipping.names == ["a"] && skipping.skippedNames == ["m"])
    #expect(throws: SafeTensorsError.tensorNotFound(path: "skip", tensor: "m")) { try skipping.tensor("m") }
  }

  @Test func subByteDTypeThatDoesNotFillWholeBytesIsRejected() {
    let header = #"{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#
    guard case .invalidShape(_, "a", _, _)? = readError(makeSafeTensors(header: header, data: [0, 0])) else {
      Issue.record("expected invalidShape")
      return
    }
  }

  @Test func truncatedFilesAreRejected() {
    let bytes = makeSafeTensors(header: goodHeader, data: goodData)
    #expect(
      readError(Array(bytes.dropLast()))
        == .dataOutOfBounds(path: "crafted.safetensors", tensor: "b", end: 12, bufferSize: 11))
    guard case .headerOutOfBounds? = readError(Array(bytes.prefix(40))) else {
      Issue.record("expected headerOutOfBounds")
      return
    }
  }

  @Test func trailingBytesAfterTheLastTensorAreRejected() {
    let bytes = makeSafeTensors(header: goodHeader, data: goodData + [0])
    #expect(readError(bytes) == .trailingBytes(path: "crafted.safetensors", covered: 12, bufferSize: 13))
  }

  @Test func emptyAndScalarTensorsAndPaddingAreAccepted() throws {
    let header =
      #"{"__metadata__":{"k":"v"},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}   "#
    let file = try SafeTensors.read(data: makeSafeTensors(header: header, data: floatBytes([7])), path: "p")
    #expect(file.names == ["e", "s"] && file.metadata == ["k": "v"])
    #expect(try file.tensor("e").shape == [0, 3])
    #expect(try file.tensor("s").shape == [] && file.tensor("s").scalars == [7])
    #expect(try SafeTensors.read(data: makeSafeTensors(header: "{}"), path: "empty").names.isEmpty)
  }

  @Test func missingTensorAndWrongIntegerAccessAreReported() throws {
    let file = try SafeTensors.read(data: makeSafeTensors(header: goodHeader, data: goodData), path: "p")
    #expect(throws: SafeTensorsError.tensorNotFound(path: "p", tensor: "zz")) { try file.tensor("zz") }
    #expect(throws: SafeTensorsError.notInt64(path: "p", tensor: "a", dtype: "F32")) { try file.int64s("a") }
  }

  @Test func everyMessageNamesTheFileAndTheTensor() {
    let header = #"{"weight.3":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
    let error = readError(makeSafeTensors(header: header, data: floatBytes([1, 2])), path: "/models/g.safetensors")
    let message = error.map { "\($0)" } ?? ""
    #expect(message.contains("/models/g.safetensors") && message.contains("weight.3") && message.contains("12"))
  }
}
