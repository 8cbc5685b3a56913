// Open MPI, loaded at run time: translate needs no MPI headers or library to build, and a user who never runs
// it under mpirun/srun never loads one. Only the few calls data-parallel training and sharded conversion make.
// Every function returns 0 on success and an MPI error code (or -1: not loaded) otherwise; the default error
// handler (MPI_ERRORS_ARE_FATAL) ends the whole job on a failed collective anyway.
#ifndef CMPI_H
#define CMPI_H

#include <stddef.h>
#include <stdint.h>

/// Loads libmpi.so.40 (Open MPI 4/5), resolves the functions and predefined handles, and calls MPI_Init.
/// On failure writes a reason to `error` (at most `capacity` bytes) and returns -1.
int cmpi_start(char *error, size_t capacity);

/// This process's rank and the number of processes in MPI_COMM_WORLD.
int cmpi_rank(int *rank);
int cmpi_size(int *size);

/// In-place sum over all ranks of `count` floats (float) or doubles.
int cmpi_allreduce_sum_float(float *buffer, size_t count);
int cmpi_allreduce_sum_double(double *buffer, size_t count);

/// Every rank's `count` bytes of `send`, concatenated in rank order into `receive` (size · count bytes).
int cmpi_allgather_bytes(const void *send, void *receive, size_t count);

/// MPI_Finalize (a clean end: every rank must call it).
int cmpi_finish(void);

#endif
