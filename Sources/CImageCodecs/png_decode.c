// PNG decoding through libpng's full API from a memory buffer: every colour type and bit depth, Adam7,
// tRNS expanded to alpha, 16-bit kept as 16-bit (native endian), 1/2/4-bit gray scaled to 8-bit.
// Policy: a missing or damaged IEND after complete image data is CIC_TRUNCATED unless allow_truncated.
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cic_internal.h"
#include "cimagecodecs.h"

/// Reader state shared with libpng's callbacks.
typedef struct {
  const uint8_t *data;
  size_t size, offset;
  char *message;
  size_t message_capacity;
  int message_set;
  uint32_t warnings;
  int ran_out;  ///< the reader hit the end of the buffer
} png_reader;

static void png_read_memory(png_structp png, png_bytep out, size_t length) {
  png_reader *reader = png_get_io_ptr(png);
  if (length > reader->size - reader->offset) {
    reader->ran_out = 1;
    png_error(png, "unexpected end of PNG data");
  }
  memcpy(out, reader->data + reader->offset, length);
  reader->offset += length;
}

static void png_on_error(png_structp png, png_const_charp text) {
  png_reader *reader = png_get_error_ptr(png);
  if (!reader->message_set) {
    cic_set_message(reader->message, reader->message_capacity, text);
    reader->message_set = 1;
  }
  png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp text) {
  (void)text;
  png_reader *reader = png_get_error_ptr(png);
  if (reader->warnings < UINT32_MAX) reader->warnings++;
}

static int host_is_little_endian(void) {
  const uint16_t probe = 1;
  return *(const uint8_t *)&probe == 1;
}

/// Asks libpng for 8-bit-or-16-bit gray/GA/RGB/RGBA output whatever the stored format.
static void png_request_output(png_structp png, png_infop info) {
  int color_type = png_get_color_type(png, info);
  int bit_depth = png_get_bit_depth(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  if (bit_depth == 16 && host_is_little_endian()) png_set_swap(png);
  (void)png_set_interlace_handling(png);
  png_read_update_info(png, info);
}

/// Copies the eXIf chunk, if any, into `out` (best effort: no copy on allocation failure).
static void png_take_exif(png_structp png, png_infop info, cic_image *out) {
  png_uint_32 count = 0;
  png_bytep exif = NULL;
  if (png_get_eXIf_1(png, info, &count, &exif) && exif && count > 0) {
    out->exif = cic_copy_bytes(exif, count);
    out->exif_bytes = out->exif ? count : 0;
  }
}

cic_status cic_png_decode(const uint8_t *data, size_t size, const cic_decode_options *options,
                          cic_image *out, char *message, size_t message_capacity) {
  if (!options || !out || (!data && size)) return CIC_INVALID_ARGUMENT;
  memset(out, 0, sizeof *out);
  cic_set_message(message, message_capacity, "");
  if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
    cic_set_message(message, message_capacity, "not a PNG file (bad signature)");
    return CIC_DECODE_FAILED;
  }
  png_reader reader = {data, size, 0, message, message_capacity, 0, 0, 0};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, png_on_error, png_on_warning);
  if (!png) return CIC_NO_MEMORY;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, NULL, NULL);
    return CIC_NO_MEMORY;
  }
  uint8_t *volatile pixels = NULL;
  png_bytep *volatile rows = NULL;
  volatile size_t pixel_bytes = 0;
  volatile int image_complete = 0;
  volatile cic_status status = CIC_DECODE_FAILED;
  if (setjmp(png_jmpbuf(png))) {
    if (image_complete && options->allow_truncated) goto success;
    if (image_complete || reader.ran_out) status = CIC_TRUNCATED;
    free(pixels);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return status;
  }
  png_set_read_fn(png, &reader, png_read_memory);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  if ((uint64_t)width * height > options->max_pixels) {
    out->width = width;
    out->height = height;
    snprintf(message, message_capacity, "%ux%u pixels exceed the limit of %llu", (unsigned)width,
             (unsigned)height, (unsigned long long)options->max_pixels);
    png_destroy_read_struct(&png, &info, NULL);
    return CIC_TOO_LARGE;
  }
  png_request_output(png, info);
  size_t row_bytes = png_get_rowbytes(png, info);
  uint32_t channels = png_get_channels(png, info), depth = png_get_bit_depth(png, info);
  if (row_bytes != (size_t)width * channels * (depth / 8) || height == 0) png_error(png, "bad row size");
  if (row_bytes > SIZE_MAX / height) png_error(png, "image too large for memory");
  pixel_bytes = row_bytes * height;
  status = CIC_NO_MEMORY;
  pixels = malloc(pixel_bytes);
  rows = malloc(sizeof(png_bytep) * height);
  if (!pixels || !rows) png_error(png, "out of memory");
  status = CIC_DECODE_FAILED;
  for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * row_bytes;
  png_read_image(png, rows);
  image_complete = 1;
  png_read_end(png, info);
success:
  out->width = png_get_image_width(png, info);
  out->height = png_get_image_height(png, info);
  out->channels = png_get_channels(png, info);
  out->bit_depth = png_get_bit_depth(png, info);
  out->warnings = reader.warnings;
  out->pixels = pixels;
  out->pixel_bytes = pixel_bytes;
  png_take_exif(png, info, out);
  free(rows);
  png_destroy_read_struct(&png, &info, NULL);
  return CIC_OK;
}
