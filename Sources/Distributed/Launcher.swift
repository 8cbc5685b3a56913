// Which job this process belongs to, from the environment its launcher set: Open MPI's mpirun sets
// OMPI_COMM_WORLD_SIZE, Slurm's srun sets PMI_SIZE (--mpi=pmi2) or PMIX_RANK with SLURM_NTASKS (--mpi=pmix).
// Without them translate is one process and never loads MPI.

/// How the process was started.
public enum Launcher: Equatable, Sendable {
  /// Alone (no MPI launcher, or a launcher of one process).
  case alone
  /// By mpirun or srun, as one of `size` processes (nil: the launcher did not say how many).
  case mpi(size: Int?)

  /// Reads the launchers' variables.
  public init(environment: [String: String]) {
    let size = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"].lazy.compactMap { environment[$0].flatMap(Int.init) }.first
    let pmix = environment["PMIX_RANK"] != nil
    switch (size, pmix) {
    case (let n?, _): self = n > 1 ? .mpi(size: n) : .alone
    case (nil, true):
      let n = environment["SLURM_NTASKS"].flatMap(Int.init)
      self = n == 1 ? .alone : .mpi(size: n)
    case (nil, false): self = .alone
    }
  }

  /// The job's communicator: SingleProcess when alone; otherwise Open MPI, started here (call once).
  public func communicator() throws(CommunicationError) -> any Communicator {
    switch self {
    case .alone: return SingleProcess()
    case .mpi: return try MPICommunicator()
    }
  }
}

extension Launcher {
  /// Processes of this job on this machine (Open MPI's OMPI_COMM_WORLD_LOCAL_SIZE; 1 when unknown), which share
  /// its cores.
  public static func processesOnThisMachine(environment: [String: String]) -> Int {
    environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init).map { max($0, 1) } ?? 1
  }
}
