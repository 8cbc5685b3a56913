// MPI_COMM_WORLD of Open MPI, loaded at run time by CMPI (no build-time MPI). Collectives run on the calling
// thread; translate calls them from its main thread only (MPI_Init's default thread level suffices).

import CMPI

/// The processes mpirun or srun started; created at most once per process (MPI_Init may run only once).
public final class MPICommunicator: Communicator {
  public let rank: Int
  public let size: Int

  /// Loads Open MPI and calls MPI_Init.
  init() throws(CommunicationError) {
    var message = [CChar](repeating: 0, count: 512)
    guard cmpi_start(&message, message.count) == 0 else {
      throw .unavailable(
        reason: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    var (r, s): (Int32, Int32) = (0, 1)
    try Self.check("MPI_Comm_rank", cmpi_rank(&r))
    try Self.check("MPI_Comm_size", cmpi_size(&s))
    (rank, size) = (Int(r), Int(s))
  }

  private static func check(_ call: String, _ status: Int32) throws(CommunicationError) {
    guard status == 0 else { throw .failed(call: call, code: status) }
  }

  public func sum(_ buffer: inout [Float]) throws(CommunicationError) {
    let status = buffer.withUnsafeMutableBufferPointer { cmpi_allreduce_sum_float($0.baseAddress, $0.count) }
    try Self.check("MPI_Allreduce", status)
  }

  public func sum(_ buffer: inout [Double]) throws(CommunicationError) {
    let status = buffer.withUnsafeMutableBufferPointer { cmpi_allreduce_sum_double($0.baseAddress, $0.count) }
    try Self.check("MPI_Allreduce", status)
  }

  /// Two allgathers: the lengths, then every buffer padded to the longest.
  public func gather(_ bytes: [UInt8]) throws(CommunicationError) -> [[UInt8]] {
    let lengths = try gatherFixed(withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { Array($0) })
    let counts = (0..<size).map { r in
      lengths[8 * r..<8 * r + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
    let longest = counts.max() ?? 0
    let all = try gatherFixed(bytes + [UInt8](repeating: 0, count: longest - bytes.count))
    return (0..<size).map { r in Array(all[longest * r..<longest * r + counts[r]]) }
  }

  /// MPI_Allgather of the same number of bytes from every rank.
  private func gatherFixed(_ bytes: [UInt8]) throws(CommunicationError) -> [UInt8] {
    var all = [UInt8](repeating: 0, count: bytes.count * size)
    let status = bytes.withUnsafeBytes { send in
      all.withUnsafeMutableBytes { cmpi_allgather_bytes(send.baseAddress, $0.baseAddress, bytes.count) }
    }
    try Self.check("MPI_Allgather", status)
    return all
  }

  public func finish() { _ = cmpi_finish() }
}
