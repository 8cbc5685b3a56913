// The pickle opcodes the restricted unpickler (Unpickler.swift) runs, by byte value.

/// Opcodes (pickletools' names) this unpickler runs. Anything else — INST, OBJ, NEWOBJ, EXT*, the text
/// opcodes of protocol 0, sets, out-of-band buffers — is refused by byte value.
enum PickleOpcode: UInt8 {
  case proto = 0x80
  case frame = 0x95
  case stop = 0x2E
  case mark = 0x28
  case pop = 0x30
  case popMark = 0x31
  case dup = 0x32
  case none = 0x4E
  case newTrue = 0x88
  case newFalse = 0x89
  case binInt = 0x4A
  case binInt1 = 0x4B
  case binInt2 = 0x4D
  case long1 = 0x8A
  case long4 = 0x8B
  case binFloat = 0x47
  case binUnicode = 0x58
  case shortBinUnicode = 0x8C
  case binUnicode8 = 0x8D
  case binString = 0x54
  case shortBinString = 0x55
  case binBytes = 0x42
  case shortBinBytes = 0x43
  case emptyTuple = 0x29
  case tuple = 0x74
  case tuple1 = 0x85
  case tuple2 = 0x86
  case tuple3 = 0x87
  case emptyList = 0x5D
  case append = 0x61
  case appends = 0x65
  case list = 0x6C
  case emptyDict = 0x7D
  case dict = 0x64
  case setItem = 0x73
  case setItems = 0x75
  case binPut = 0x71
  case longBinPut = 0x72
  case memoize = 0x94
  case binGet = 0x68
  case longBinGet = 0x6A
  case global = 0x63
  case stackGlobal = 0x93
  case binPersId = 0x51
  case reduce = 0x52
  case build = 0x62
}
