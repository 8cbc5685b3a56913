// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, RFC 3720 §B.4) and the "masked" form TFRecord files
// store, so that a CRC of data that itself holds CRCs is not degenerate (tensorflow/core/lib/hash/crc32c.h).

/// CRC-32C of byte sequences, table-driven (one 256-entry table, a byte at a time).
public enum CRC32C {
  /// table[b]: the CRC register after shifting byte b through eight reflected steps.
  static let table: [UInt32] = (0..<256).map { byte in
    var crc = UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    return crc
  }

  /// The CRC-32C of `bytes` (initial value and final xor 0xFFFFFFFF, as in iSCSI and TFRecord).
  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

  /// TFRecord's mask: rotate right by 15 bits and add a constant.
  public static func masked(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8 }

  /// The masked CRC-32C of `bytes`, as stored after a TFRecord's length and after its data.
  public static func maskedChecksum(_ bytes: some Sequence<UInt8>) -> UInt32 { masked(checksum(bytes)) }
}
