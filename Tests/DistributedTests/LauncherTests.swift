// Which job a process belongs to, from its launcher's variables, and the one-process job's collectives.

import Distributed
import Testing

@Suite struct LauncherTests {
  @Test func launchersAreRecognizedFromTheirVariables() {
    #expect(Launcher(environment: [:]) == .alone)
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "1"]) == .mpi(size: 2))
    // A launcher of one process needs no MPI.
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "1"]) == .alone)
    #expect(Launcher(environment: ["PMI_SIZE": "4", "PMI_RANK": "0"]) == .mpi(size: 4))
    #expect(Launcher(environment: ["PMIX_RANK": "0", "SLURM_NTASKS": "3"]) == .mpi(size: 3))
    #expect(Launcher(environment: ["PMIX_RANK": "0"]) == .mpi(size: nil))
    #expect(Launcher(environment: ["PMIX_RANK": "0", "SLURM_NTASKS": "1"]) == .alone)
    // Slurm alone (sbatch without srun) is not an MPI launch.
    #expect(Launcher(environment: ["SLURM_NTASKS": "8", "SLURM_JOB_ID": "1"]) == .alone)
  }

  @Test func processesOnThisMachineShareItsCores() {
    #expect(Launcher.processesOnThisMachine(environment: [:]) == 1)
    #expect(Launcher.processesOnThisMachine(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2"]) == 2)
    #expect(Launcher.processesOnThisMachine(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "0"]) == 1)
  }

  @Test func aSingleProcessJobsCollectivesAreTheIdentity() throws {
    let alone = try Launcher.alone.communicator()
    #expect(alone.rank == 0 && alone.size == 1 && alone.isRoot)
    var floats: [Float] = [1, 2.5]
    try alone.sum(&floats)
    var doubles: [Double] = [3]
    try alone.sum(&doubles)
    #expect(floats == [1, 2.5] && doubles == [3])
    #expect(try alone.gather([7, 8]) == [[7, 8]])
  }
}
