// The processes of one job and the two collectives data-parallel work needs (Gropp, Lusk & Skjellum, "Using
// MPI", ch. 3): a sum over every rank, and every rank's bytes gathered. One process is the trivial job
// (SingleProcess.swift); MPI jobs use Open MPI (MPICommunicator.swift); Launcher.swift picks one.

/// A fixed group of processes ("ranks" 0..<size) running the same program.
public protocol Communicator: AnyObject, Sendable {
  /// This process's rank, 0..<size; rank 0 writes files and prints.
  var rank: Int { get }
  /// The number of processes in the job.
  var size: Int { get }
  /// Replaces `buffer` on every rank by the element-wise sum of all ranks' buffers (same length everywhere).
  func sum(_ buffer: inout [Float]) throws(CommunicationError)
  func sum(_ buffer: inout [Double]) throws(CommunicationError)
  /// Every rank's `bytes`, in rank order, on every rank (lengths may differ between ranks).
  func gather(_ bytes: [UInt8]) throws(CommunicationError) -> [[UInt8]]
  /// A clean end of the job: every rank calls it once, after its last collective.
  func finish()
}

extension Communicator {
  /// True on the rank that writes files and prints.
  public var isRoot: Bool { rank == 0 }
}

public enum CommunicationError: Error, CustomStringConvertible, Equatable {
  /// The process was started by mpirun or srun but MPI cannot be used here.
  case unavailable(reason: String)
  /// An MPI call returned an error code.
  case failed(call: String, code: Int32)

  public var description: String {
    switch self {
    case .unavailable(let reason):
      "started by mpirun/srun, but MPI is not usable: \(reason) (install Open MPI: apt-get install openmpi-bin)"
    case .failed(let call, let code): "\(call) failed with MPI error \(code)"
    }
  }
}
