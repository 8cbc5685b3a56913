// A persistent pool of compute threads (see include/ck_pool.h). One job at a time: the caller publishes it by
// bumping `generation` (a futex word), runs chunks itself, and waits for `done` to reach the chunk count.
// Chunks are claimed from `cursor` = generation << 32 | next chunk, so a worker that wakes late for an old job
// can never claim a chunk of a newer one. Between jobs workers spin for ~50 µs, then park on the futex.
// Linux only (futex); elsewhere ck_pool_run answers CK_POOL_UNAVAILABLE and the caller uses its fallback.
#include "ck_pool.h"
#include "ck_target.h"

#if defined(__linux__)
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#if CK_X86
#include <immintrin.h>
#include <x86intrin.h>
#endif

#define MAX_WORKERS 255
#define EXHAUSTED 0xFFFFFFFFu /* low half of `cursor` once a job is over */

static int busy;                       // 1 while a caller owns the pool
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static int started;                    // workers running (only grows)
static uint32_t generation;            // futex word: bumped once per job
static int sleepers;                   // workers parked on `generation`
static uint64_t cursor;                // generation << 32 | next unclaimed chunk
static uint32_t done;                  // futex word: chunks finished in the current job
static int caller_parked;              // the caller is parked on `done`
static ck_pool_task job_task;          // the current job (written only while `cursor` is exhausted)
static void *job_context;
static long job_chunks;
static int job_workers;                // workers with index below this one take part
static __thread int inside_job;        // this thread is running a chunk (or is a worker)

static void futex_wait(uint32_t *word, uint32_t expected) {
  syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake_all(uint32_t *word) { syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0); }

static inline void relax(void) {
#if CK_X86
  _mm_pause();
#endif
}

/// A spin budget of about 50 µs (time stamp counter ticks on x86, loop turns elsewhere).
static inline uint64_t spin_clock(void) {
#if CK_X86
  return __rdtsc();
#else
  static __thread uint64_t turns;
  return turns += 64;
#endif
}
#define SPIN_TICKS 150000u

/// Claims and runs chunks of job `g` until none is left.
static void run_chunks(uint32_t g) {
  for (;;) {
    uint64_t seen = __atomic_load_n(&cursor, __ATOMIC_ACQUIRE);
    if ((uint32_t)(seen >> 32) != g) return;
    uint32_t next = (uint32_t)seen;
    // Read before the claim: if the claim succeeds, `cursor` did not move, so the job (and its fields) is g's.
    long chunks = __atomic_load_n(&job_chunks, __ATOMIC_RELAXED);
    if (next == EXHAUSTED || (long)next >= chunks) return;
    if (!__atomic_compare_exchange_n(&cursor, &seen, seen + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) continue;
    ck_pool_task task = __atomic_load_n(&job_task, __ATOMIC_RELAXED);
    void *context = __atomic_load_n(&job_context, __ATOMIC_RELAXED);
    task(context, (long)next);
    if (__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST) == (uint32_t)chunks &&
        __atomic_load_n(&caller_parked, __ATOMIC_SEQ_CST))
      futex_wake_all(&done);
  }
}

/// Waits (spinning, then parked) until `generation` differs from `seen`; returns the new value.
static uint32_t next_generation(uint32_t seen) {
  uint64_t start = spin_clock();
  do {
    uint32_t g = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
    if (g != seen) return g;
    relax();
  } while (spin_clock() - start < SPIN_TICKS);
  for (;;) {
    __atomic_add_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&generation, __ATOMIC_SEQ_CST) == seen) futex_wait(&generation, seen);
    __atomic_sub_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    uint32_t g = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
    if (g != seen) return g;
  }
}

static void *worker_main(void *argument) {
  const int index = (int)(intptr_t)argument;
  inside_job = 1;  // a worker's chunks never start jobs of their own
  uint32_t seen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
  for (;;) {
    seen = next_generation(seen);
    if (index < __atomic_load_n(&job_workers, __ATOMIC_RELAXED)) run_chunks(seen);
  }
  return NULL;
}

/// Starts workers until `count` run (or thread creation fails); returns how many run.
static int start_workers(int count) {
  if (count > MAX_WORKERS) count = MAX_WORKERS;
  if (__atomic_load_n(&started, __ATOMIC_ACQUIRE) >= count) return count;
  pthread_mutex_lock(&start_lock);
  while (started < count) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attributes, worker_main, (void *)(intptr_t)started);
    pthread_attr_destroy(&attributes);
    if (failed) break;
    __atomic_add_fetch(&started, 1, __ATOMIC_RELEASE);
  }
  int running = started;
  pthread_mutex_unlock(&start_lock);
  return running < count ? running : count;
}

int ck_pool_run(long chunks, int threads, ck_pool_task task, void *context) {
  if (inside_job) return CK_POOL_NESTED;
  if (chunks <= 0) return CK_POOL_DONE;
  if (chunks >= (long)EXHAUSTED) return CK_POOL_UNAVAILABLE;
  int expected = 0;
  if (!__atomic_compare_exchange_n(&busy, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
    return CK_POOL_UNAVAILABLE;
  int workers = start_workers(threads - 1);
  // The previous job left `cursor` exhausted, so no worker reads these fields until the new cursor is out.
  __atomic_store_n(&job_task, task, __ATOMIC_RELAXED);
  __atomic_store_n(&job_context, context, __ATOMIC_RELAXED);
  __atomic_store_n(&job_chunks, chunks, __ATOMIC_RELAXED);
  __atomic_store_n(&job_workers, workers, __ATOMIC_RELAXED);
  __atomic_store_n(&done, 0, __ATOMIC_RELAXED);
  uint32_t g = __atomic_load_n(&generation, __ATOMIC_RELAXED) + 1;
  __atomic_store_n(&cursor, (uint64_t)g << 32, __ATOMIC_RELEASE);
  __atomic_store_n(&generation, g, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&sleepers, __ATOMIC_SEQ_CST) > 0) futex_wake_all(&generation);

  inside_job = 1;
  run_chunks(g);
  inside_job = 0;

  uint64_t start = spin_clock();
  for (;;) {
    uint32_t finished = __atomic_load_n(&done, __ATOMIC_ACQUIRE);
    if ((long)finished == chunks) break;
    if (spin_clock() - start < SPIN_TICKS) {
      relax();
      continue;
    }
    __atomic_store_n(&caller_parked, 1, __ATOMIC_SEQ_CST);
    finished = __atomic_load_n(&done, __ATOMIC_SEQ_CST);
    if ((long)finished != chunks) futex_wait(&done, finished);
    __atomic_store_n(&caller_parked, 0, __ATOMIC_SEQ_CST);
  }
  __atomic_store_n(&cursor, (uint64_t)g << 32 | EXHAUSTED, __ATOMIC_RELEASE);
  __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
  return CK_POOL_DONE;
}

#else

int ck_pool_run(long chunks, int threads, ck_pool_task task, void *context) {
  (void)chunks, (void)threads, (void)task, (void)context;
  return CK_POOL_UNAVAILABLE;
}

#endif
