// The safetensors element types: their sizes (to validate any file the reference accepts) and the exact
// conversions to Float32 of the four we read (F32, F16, BF16, I64). Data is little-endian (format spec).

/// An element type named in a safetensors header (the reference's `Dtype` enum, spelled as in the file).
enum SafeTensorsDType: String, Sendable, CaseIterable {
  case bool = "BOOL"
  case u8 = "U8"
  case i8 = "I8"
  case f8e5m2 = "F8_E5M2"
  case f8e4m3 = "F8_E4M3"
  case f8e8m0 = "F8_E8M0"
  case i16 = "I16"
  case u16 = "U16"
  case f16 = "F16"
  case bf16 = "BF16"
  case i32 = "I32"
  case u32 = "U32"
  case f32 = "F32"
  case f64 = "F64"
  case i64 = "I64"
  case u64 = "U64"
  case c64 = "C64"
  case f4 = "F4"
  case f6e2m3 = "F6_E2M3"
  case f6e3m2 = "F6_E3M2"

  /// Bits per element (sub-byte types must fill whole bytes, as in the reference).
  var bits: Int {
    switch self {
    case .f4: return 4
    case .f6e2m3, .f6e3m2: return 6
    case .bool, .u8, .i8, .f8e5m2, .f8e4m3, .f8e8m0: return 8
    case .i16, .u16, .f16, .bf16: return 16
    case .i32, .u32, .f32: return 32
    case .f64, .i64, .u64, .c64: return 64
    }
  }

  /// Whether `SafeTensorsFile.tensor(_:)` converts this type to Float32.
  var isReadable: Bool {
    switch self {
    case .f32, .f16, .bf16, .i64: return true
    default: return false
    }
  }
}

/// Converts `count` little-endian elements of `dtype` at `source` into `destination`. Only readable dtypes.
/// F16 and BF16 convert exactly (every half and bfloat16 value is a Float32); I64 rounds to the nearest
/// Float32 (exact up to 2^24 in magnitude).
func convertToFloat(
  _ dtype: SafeTensorsDType, from source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>
) {
  switch dtype {
  case .f32:
    for i in 0..<count {
      destination[i] = Float(
        bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
    }
  case .f16:
    for i in 0..<count {
      destination[i] = halfToFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
    }
  case .bf16:
    for i in 0..<count {
      let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
      destination[i] = Float(bitPattern: UInt32(bits) << 16)  // bfloat16 is the top half of a Float32
    }
  case .i64:
    for i in 0..<count {
      destination[i] = Float(Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
    }
  default:
    assertionFailure("convertToFloat: \(dtype) is not readable; the reader validates dtypes first")
  }
}

/// IEEE 754 binary16 → binary32, exactly (subnormals, ±0, ±inf and NaN payloads included). Written out rather
/// than using `Float16`, which is unavailable on macOS x86-64.
@inline(__always)
func halfToFloat(_ h: UInt16) -> Float {
  let sign = UInt32(h & 0x8000) << 16
  let exponent = UInt32(h >> 10) & 0x1F
  let mantissa = UInt32(h) & 0x3FF
  if exponent == 0x1F {  // inf or NaN: keep the payload
    return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
  }
  if exponent == 0 {  // zero or subnormal: mantissa × 2^-24, exact in Float32
    let magnitude = Float(mantissa) * 0x1p-24
    return sign == 0 ? magnitude : -magnitude
  }
  return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))  // rebias 15 → 127
}
