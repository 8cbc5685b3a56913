// libFuzzer entry for the PNG decoder: our own path (C shim + Swift wrapper + eXIf parser), format forced.
// Built by fuzz/run.sh together with Sources/ImageCodecs (same module, so internal entry points are visible).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // Odd sizes exercise the lenient truncation path; the small pixel limit keeps runs fast.
  let options = DecodeOptions(pixelLimit: 4_000_000, allowTruncated: size % 2 == 1)
  _ = try? ImageDecoder.decode(bytes, as: .png, path: "fuzz.png", options: options)
  return 0
}
