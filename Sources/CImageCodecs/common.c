// Shared helpers of the shim: growable buffers, message copies, and the free functions of the public API.
#include <stdlib.h>
#include <string.h>

#include "cic_internal.h"
#include "cimagecodecs.h"

int cic_membuf_reserve(cic_membuf *buffer, size_t extra) {
  if (extra > SIZE_MAX - buffer->size) return -1;
  size_t needed = buffer->size + extra;
  if (needed <= buffer->capacity) return 0;
  size_t capacity = buffer->capacity ? buffer->capacity : 4096;
  while (capacity < needed) {
    if (capacity > SIZE_MAX / 2) return -1;
    capacity *= 2;
  }
  uint8_t *grown = realloc(buffer->data, capacity);
  if (!grown) return -1;
  buffer->data = grown;
  buffer->capacity = capacity;
  return 0;
}

void cic_set_message(char *message, size_t capacity, const char *text) {
  if (!message || capacity == 0) return;
  size_t n = strlen(text);
  if (n >= capacity) n = capacity - 1;
  memcpy(message, text, n);
  message[n] = '\0';
}

uint8_t *cic_copy_bytes(const uint8_t *bytes, size_t size) {
  if (size == 0) return NULL;
  uint8_t *copy = malloc(size);
  if (copy) memcpy(copy, bytes, size);
  return copy;
}

void cic_image_free(cic_image *image) {
  if (!image) return;
  free(image->pixels);
  free(image->exif);
  memset(image, 0, sizeof *image);
}

void cic_buffer_free(uint8_t *data) { free(data); }
