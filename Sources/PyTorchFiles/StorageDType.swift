// Storage element types of the four allow-listed storage classes and their conversion to Float32: F32 as
// stored, F16 and BF16 exactly (every such value is a Float32), I64 rounded to the nearest Float.

/// Element type of a torch storage.
public enum StorageDType: String, Sendable, CaseIterable {
  case float32 = "F32"
  case float16 = "F16"
  case bfloat16 = "BF16"
  case int64 = "I64"

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .float32: 4
    case .float16, .bfloat16: 2
    case .int64: 8
    }
  }

  /// The element at byte `offset` of `bytes` as a Float; `bigEndian` for archives whose byteorder record says
  /// "big". The caller has checked `offset + size <= bytes.count`.
  @inline(__always)
  func float(_ bytes: UnsafeRawBufferPointer, at offset: Int, bigEndian: Bool) -> Float {
    switch self {
    case .float32:
      let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
      return Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
    case .float16:
      let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
      return halfToFloat(bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw))
    case .bfloat16:
      let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
      return Float(bitPattern: UInt32(bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)) << 16)
    case .int64:
      let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)
      return Float(bigEndian ? Int64(bigEndian: raw) : Int64(littleEndian: raw))
    }
  }
}

/// IEEE 754 binary16 → binary32, exactly (subnormals, ±0, ±inf and NaN payloads kept). The same conversion as
/// SafeTensors' (that module sits on TensorCore; this one depends on nothing, so the fuzz harness builds it alone).
@inline(__always)
func halfToFloat(_ h: UInt16) -> Float {
  let sign = UInt32(h & 0x8000) << 16
  let exponent = UInt32(h >> 10) & 0x1F
  let mantissa = UInt32(h) & 0x3FF
  if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
  if exponent == 0 {
    let magnitude = Float(mantissa) * 0x1p-24
    return sign == 0 ? magnitude : -magnitude
  }
  return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}
