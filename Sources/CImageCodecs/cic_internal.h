// Helpers shared by the shim's codec files (not public): a growable output buffer and message copying.
#ifndef CIC_INTERNAL_H
#define CIC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/// A malloc'd byte buffer that grows by doubling; `data` is NULL until the first append.
typedef struct {
  uint8_t *data;
  size_t size, capacity;
} cic_membuf;

/// Makes room for `extra` more bytes. Returns 0 on success, -1 on overflow or allocation failure.
int cic_membuf_reserve(cic_membuf *buffer, size_t extra);

/// Copies `text` into `message` (truncating, always NUL-terminated when capacity > 0).
void cic_set_message(char *message, size_t capacity, const char *text);

/// Copies up to 0xFFFF bytes into a fresh malloc'd block; NULL when size is 0 or malloc fails.
uint8_t *cic_copy_bytes(const uint8_t *bytes, size_t size);

#endif
