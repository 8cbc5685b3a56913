// Open MPI through dlopen (see include/cmpi.h). Open MPI's handles are pointers to exported objects:
// MPI_COMM_WORLD is &ompi_mpi_comm_world, MPI_FLOAT &ompi_mpi_float, MPI_SUM &ompi_mpi_op_sum (its mpi.h), so
// they resolve with dlsym like the functions. Counts above INT_MAX are sent in chunks (MPI counts are int).

#include "cmpi.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>

typedef void *handle;

static struct {
  int (*init)(int *, char ***);
  int (*comm_rank)(handle, int *);
  int (*comm_size)(handle, int *);
  int (*allreduce)(const void *, void *, int, handle, handle, handle);
  int (*allgather)(const void *, int, handle, void *, int, handle, handle);
  int (*finalize)(void);
  handle world, float_type, double_type, byte_type, sum, in_place;
  int loaded;
} mpi;

/// MPI_IN_PLACE in Open MPI's mpi.h: ((void *) 1).
#define CMPI_IN_PLACE ((void *)1)

static int resolve(void *library, const char *name, void **out, char *error, size_t capacity) {
  *out = dlsym(library, name);
  if (*out == NULL) {
    snprintf(error, capacity, "libmpi.so.40 has no symbol %s (is it Open MPI?)", name);
    return -1;
  }
  return 0;
}

int cmpi_start(char *error, size_t capacity) {
  // RTLD_GLOBAL: Open MPI's own plugins (dlopened by MPI_Init) resolve their symbols against libmpi.
  void *library = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
  if (library == NULL) {
    const char *reason = dlerror();
    snprintf(error, capacity, "cannot load Open MPI (libmpi.so.40): %s", reason ? reason : "unknown reason");
    return -1;
  }
  struct {
    const char *name;
    void **slot;
  } symbols[] = {
      {"MPI_Init", (void **)&mpi.init},
      {"MPI_Comm_rank", (void **)&mpi.comm_rank},
      {"MPI_Comm_size", (void **)&mpi.comm_size},
      {"MPI_Allreduce", (void **)&mpi.allreduce},
      {"MPI_Allgather", (void **)&mpi.allgather},
      {"MPI_Finalize", (void **)&mpi.finalize},
      {"ompi_mpi_comm_world", &mpi.world},
      {"ompi_mpi_float", &mpi.float_type},
      {"ompi_mpi_double", &mpi.double_type},
      {"ompi_mpi_byte", &mpi.byte_type},
      {"ompi_mpi_op_sum", &mpi.sum},
  };
  for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
    if (resolve(library, symbols[i].name, symbols[i].slot, error, capacity) != 0) return -1;
  }
  int status = mpi.init(NULL, NULL);
  if (status != 0) {
    snprintf(error, capacity, "MPI_Init failed with error %d", status);
    return -1;
  }
  mpi.loaded = 1;
  return 0;
}

int cmpi_rank(int *rank) { return mpi.loaded ? mpi.comm_rank(mpi.world, rank) : -1; }
int cmpi_size(int *size) { return mpi.loaded ? mpi.comm_size(mpi.world, size) : -1; }

static int allreduce_sum(void *buffer, size_t count, size_t element, handle type) {
  if (!mpi.loaded) return -1;
  char *bytes = buffer;
  for (size_t done = 0; done < count;) {
    size_t chunk = count - done < (size_t)INT_MAX ? count - done : (size_t)INT_MAX;
    int status = mpi.allreduce(CMPI_IN_PLACE, bytes + done * element, (int)chunk, type, mpi.sum, mpi.world);
    if (status != 0) return status;
    done += chunk;
  }
  return 0;
}

int cmpi_allreduce_sum_float(float *buffer, size_t count) {
  return allreduce_sum(buffer, count, sizeof(float), mpi.float_type);
}

int cmpi_allreduce_sum_double(double *buffer, size_t count) {
  return allreduce_sum(buffer, count, sizeof(double), mpi.double_type);
}

int cmpi_allgather_bytes(const void *send, void *receive, size_t count) {
  if (!mpi.loaded) return -1;
  if (count > (size_t)INT_MAX) return -1;
  return mpi.allgather(send, (int)count, mpi.byte_type, receive, (int)count, mpi.byte_type, mpi.world);
}

int cmpi_finish(void) { return mpi.loaded ? mpi.finalize() : -1; }
