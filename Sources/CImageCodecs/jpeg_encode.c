// JPEG encoding through libjpeg into a growable memory buffer (our own destination manager, so no
// buffer is lost on an error path): 8-bit gray or RGB, quality 1–100, chroma 4:2:0 or 4:4:4.
#include <stdlib.h>
#include <string.h>

#include <jerror.h>

#include "cic_internal.h"
#include "cimagecodecs.h"
#include "jpeg_errors.h"

typedef struct {
  struct jpeg_destination_mgr pub;
  cic_membuf buffer;
} cic_jpeg_destination;

static void destination_init(j_compress_ptr cinfo) {
  cic_jpeg_destination *dest = (cic_jpeg_destination *)cinfo->dest;
  if (cic_membuf_reserve(&dest->buffer, 65536) != 0) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 1);
  dest->pub.next_output_byte = dest->buffer.data;
  dest->pub.free_in_buffer = dest->buffer.capacity;
}

/// Called when the whole buffer is full: keep it all and grow.
static boolean destination_grow(j_compress_ptr cinfo) {
  cic_jpeg_destination *dest = (cic_jpeg_destination *)cinfo->dest;
  dest->buffer.size = dest->buffer.capacity;
  if (cic_membuf_reserve(&dest->buffer, dest->buffer.capacity) != 0) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 2);
  dest->pub.next_output_byte = dest->buffer.data + dest->buffer.size;
  dest->pub.free_in_buffer = dest->buffer.capacity - dest->buffer.size;
  return TRUE;
}

static void destination_term(j_compress_ptr cinfo) {
  cic_jpeg_destination *dest = (cic_jpeg_destination *)cinfo->dest;
  dest->buffer.size = dest->buffer.capacity - dest->pub.free_in_buffer;
}

/// Sets every component's sampling to 1×1 (4:4:4); jpeg_set_defaults gives luma 2×2 (4:2:0).
static void use_full_chroma(j_compress_ptr cinfo) {
  for (int i = 0; i < cinfo->num_components; i++) {
    cinfo->comp_info[i].h_samp_factor = 1;
    cinfo->comp_info[i].v_samp_factor = 1;
  }
}

cic_status cic_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                           int quality, int chroma_444, uint8_t **out_data, size_t *out_size,
                           char *message, size_t message_capacity) {
  cic_set_message(message, message_capacity, "");
  if (!pixels || !out_data || !out_size || width == 0 || height == 0 || width > 65500 ||
      height > 65500 || (channels != 1 && channels != 3) || quality < 1 || quality > 100) {
    cic_set_message(message, message_capacity, "invalid image geometry or quality for JPEG");
    return CIC_INVALID_ARGUMENT;
  }
  struct jpeg_compress_struct cinfo;
  cic_jpeg_error_mgr errors;
  cic_jpeg_destination dest;
  memset(&dest, 0, sizeof dest);
  cinfo.err = cic_jpeg_errors_install(&errors, 0);
  volatile int created = 0;
  if (setjmp(errors.jump)) {
    char text[JMSG_LENGTH_MAX];
    errors.pub.format_message((j_common_ptr)&cinfo, text);
    cic_set_message(message, message_capacity, text);
    free(dest.buffer.data);
    if (created) jpeg_destroy_compress(&cinfo);
    return CIC_ENCODE_FAILED;
  }
  jpeg_create_compress(&cinfo);
  created = 1;
  dest.pub.init_destination = destination_init;
  dest.pub.empty_output_buffer = destination_grow;
  dest.pub.term_destination = destination_term;
  cinfo.dest = &dest.pub;
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = (int)channels;
  cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.optimize_coding = TRUE;
  if (chroma_444) use_full_chroma(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  size_t row_bytes = (size_t)width * channels;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
    (void)jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  *out_data = dest.buffer.data;
  *out_size = dest.buffer.size;
  return CIC_OK;
}
