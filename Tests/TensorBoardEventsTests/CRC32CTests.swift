// CRC-32C against published vectors (RFC 3720 §B.4, the "123456789" check value) and TFRecord's mask; the
// framing of one record byte by byte.

import Testing

@testable import TensorBoardEvents

@Suite struct CRC32CTests {
  @Test func checksumsMatchPublishedVectors() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    #expect(CRC32C.checksum([]) == 0)
  }

  @Test func maskRotatesRightBy15AndAddsTheConstant() {
    #expect(CRC32C.masked(0) == 0xA282_EAD8)
    #expect(CRC32C.masked(0x0000_8000) == 0xA282_EAD9)  // bit 15 rotates to bit 0
    #expect(CRC32C.masked(1) == 0xA282_EAD8 &+ 0x0002_0000)  // bit 0 rotates to bit 17
    let crc = CRC32C.checksum(Array("123456789".utf8))
    let unmasked = (CRC32C.masked(crc) &- 0xA282_EAD8)
    #expect(((unmasked << 15) | (unmasked >> 17)) == crc)
  }

  @Test func aRecordIsLengthLengthCRCDataDataCRCLittleEndian() {
    let data: [UInt8] = [1, 2, 3]
    let frame = RecordWriter.frame(data)
    #expect(frame.count == 8 + 4 + 3 + 4)
    #expect(Array(frame[0..<8]) == [3, 0, 0, 0, 0, 0, 0, 0])
    let lengthCRC = CRC32C.maskedChecksum([3, 0, 0, 0, 0, 0, 0, 0])
    #expect(Array(frame[8..<12]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: lengthCRC >> $0) })
    #expect(Array(frame[12..<15]) == data)
    let dataCRC = CRC32C.maskedChecksum(data)
    #expect(Array(frame[15..<19]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: dataCRC >> $0) })
  }
}
