// libFuzzer entry for the PyTorch checkpoint reader: the whole path a .pth takes (format sniffing, the zip
// directory, the restricted unpickler, the legacy storage layout, the view checks) and then the conversion of
// every tensor it accepted. Built by fuzz/run.sh together with Sources/PyTorchFiles (same module).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPTH(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let checkpoint = try? PyTorchCheckpoint.read(bytes: bytes, path: "fuzz.pth") else { return 0 }
  for name in checkpoint.names { _ = checkpoint.values(name) }
  return 0
}
