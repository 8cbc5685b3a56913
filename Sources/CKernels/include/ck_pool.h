// A persistent pool of compute threads (thread_pool.c) behind TensorCore's parallelFor: workers spin briefly
// after a job, then park on a futex, so the ~160 loops of a forward pass cost no thread creation or dispatch
// queue hand-off each.
#ifndef CK_POOL_H
#define CK_POOL_H

/// One chunk of a job: `chunk` in [0, chunks).
typedef void (*ck_pool_task)(void *context, long chunk);

/// Outcome of ck_pool_run.
enum {
  CK_POOL_DONE = 0,       // every chunk ran (on the caller and the pool's threads)
  CK_POOL_NESTED = 1,     // called from inside a job: nothing ran; run the chunks on this thread
  CK_POOL_UNAVAILABLE = 2 // another thread's job holds the pool, or no pool on this platform: nothing ran
};

/// Runs task(context, i) for every i in [0, chunks) on the calling thread and up to threads − 1 pool threads
/// (started on first use, kept for the process), and returns when all have finished.
int ck_pool_run(long chunks, int threads, ck_pool_task task, void *context);

#endif
