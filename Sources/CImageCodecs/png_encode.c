// PNG encoding through libpng into a growable memory buffer: 8/16-bit gray, gray+alpha, RGB, RGBA.
// A tEXt "Software" chunk names the writer.
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "cic_internal.h"
#include "cimagecodecs.h"

typedef struct {
  cic_membuf buffer;
  char *message;
  size_t message_capacity;
} png_writer;

static void png_write_memory(png_structp png, png_bytep bytes, size_t length) {
  png_writer *writer = png_get_io_ptr(png);
  if (cic_membuf_reserve(&writer->buffer, length) != 0) png_error(png, "out of memory");
  memcpy(writer->buffer.data + writer->buffer.size, bytes, length);
  writer->buffer.size += length;
}

static void png_flush_memory(png_structp png) { (void)png; }

static void png_on_write_error(png_structp png, png_const_charp text) {
  png_writer *writer = png_get_error_ptr(png);
  cic_set_message(writer->message, writer->message_capacity, text);
  png_longjmp(png, 1);
}

static void png_on_write_warning(png_structp png, png_const_charp text) {
  (void)png;
  (void)text;
}

static int png_color_type_for(uint32_t channels) {
  switch (channels) {
    case 1: return PNG_COLOR_TYPE_GRAY;
    case 2: return PNG_COLOR_TYPE_GRAY_ALPHA;
    case 3: return PNG_COLOR_TYPE_RGB;
    default: return PNG_COLOR_TYPE_RGB_ALPHA;
  }
}

cic_status cic_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                          uint32_t bit_depth, uint8_t **out_data, size_t *out_size, char *message,
                          size_t message_capacity) {
  cic_set_message(message, message_capacity, "");
  if (!pixels || !out_data || !out_size || width == 0 || height == 0 || channels < 1 || channels > 4 ||
      (bit_depth != 8 && bit_depth != 16) || width > 0x7FFFFFFF || height > 0x7FFFFFFF) {
    cic_set_message(message, message_capacity, "invalid image geometry for PNG");
    return CIC_INVALID_ARGUMENT;
  }
  size_t row_bytes = (size_t)width * channels * (bit_depth / 8);
  png_writer writer = {{NULL, 0, 0}, message, message_capacity};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer, png_on_write_error,
                                            png_on_write_warning);
  if (!png) return CIC_NO_MEMORY;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, NULL);
    return CIC_NO_MEMORY;
  }
  if (setjmp(png_jmpbuf(png))) {
    free(writer.buffer.data);
    png_destroy_write_struct(&png, &info);
    return CIC_ENCODE_FAILED;
  }
  png_set_write_fn(png, &writer, png_write_memory, png_flush_memory);
  png_set_IHDR(png, info, width, height, (int)bit_depth, png_color_type_for(channels), PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_text software = {0};
  software.compression = PNG_TEXT_COMPRESSION_NONE;
  software.key = "Software";
  software.text = "translate (ImageCodecs)";
  png_set_text(png, info, &software, 1);
  png_write_info(png, info);
  const uint16_t probe = 1;
  if (bit_depth == 16 && *(const uint8_t *)&probe == 1) png_set_swap(png);
  for (uint32_t y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * row_bytes));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  *out_data = writer.buffer.data;
  *out_size = writer.buffer.size;
  return CIC_OK;
}
