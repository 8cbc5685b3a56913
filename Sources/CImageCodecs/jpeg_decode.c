// JPEG decoding through libjpeg(-turbo)'s 8-bit API from memory: sequential, progressive, arithmetic;
// gray → 1 channel, YCbCr/RGB → RGB, CMYK/YCCK → RGB (Adobe files store inverted CMYK). 12-bit and
// lossless files fail with CIC_UNSUPPORTED. Truncation policy: see cic_decode_options.allow_truncated.
#include <stdlib.h>
#include <string.h>

#include <jerror.h>

#include "cic_internal.h"
#include "cimagecodecs.h"
#include "jpeg_errors.h"

/// Maps libjpeg's fatal error to a status; 12/16-bit precision and lossless/hierarchical SOF are
/// "unsupported", everything else is a decode failure.
static cic_status jpeg_status_for_error(const struct jpeg_decompress_struct *cinfo) {
  int code = cinfo->err->msg_code;
  if (code == JERR_SOF_UNSUPPORTED) return CIC_UNSUPPORTED;
  if (code == JERR_BAD_PRECISION) {
    int precision = cinfo->err->msg_parm.i[0];
    if (precision == 12 || precision == 16) return CIC_UNSUPPORTED;
  }
  if (code == JERR_OUT_OF_MEMORY) return CIC_NO_MEMORY;
  return CIC_DECODE_FAILED;
}

/// CMYK (as libjpeg outputs it) → RGB for one row. Adobe writers store inverted values
/// (0 = full ink), so R = C·K/255 there and R = (255−C)(255−K)/255 otherwise. n: pixels.
static void cmyk_row_to_rgb(const uint8_t *cmyk, uint8_t *rgb, size_t n, int inverted) {
  for (size_t i = 0; i < n; i++) {
    unsigned c = cmyk[4 * i], m = cmyk[4 * i + 1], y = cmyk[4 * i + 2], k = cmyk[4 * i + 3];
    if (!inverted) {
      c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
    }
    rgb[3 * i] = (uint8_t)((c * k + 127) / 255);
    rgb[3 * i + 1] = (uint8_t)((m * k + 127) / 255);
    rgb[3 * i + 2] = (uint8_t)((y * k + 127) / 255);
  }
}

/// Copies the first APP1 "Exif\0\0" payload (the TIFF block) into `out`, best effort.
static void jpeg_take_exif(const struct jpeg_decompress_struct *cinfo, cic_image *out) {
  for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker; marker = marker->next) {
    if (marker->marker != JPEG_APP0 + 1 || marker->data_length <= 6) continue;
    if (memcmp(marker->data, "Exif\0\0", 6) != 0) continue;
    out->exif = cic_copy_bytes(marker->data + 6, marker->data_length - 6);
    out->exif_bytes = out->exif ? marker->data_length - 6 : 0;
    return;
  }
}

/// Picks the output colour space; returns the channels we store (1 or 3).
static uint32_t jpeg_choose_output(struct jpeg_decompress_struct *cinfo) {
  switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; return 1;
    case JCS_CMYK:
    case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; return 3;
    default: cinfo->out_color_space = JCS_RGB; return 3;
  }
}

/// Reads every scanline into `pixels` (height × width × channels); CMYK goes through `scratch`.
static void jpeg_read_rows(struct jpeg_decompress_struct *cinfo, uint8_t *pixels, uint8_t *scratch,
                           uint32_t channels) {
  size_t row_bytes = (size_t)cinfo->output_width * channels;
  int inverted = cinfo->saw_Adobe_marker;
  while (cinfo->output_scanline < cinfo->output_height) {
    uint8_t *row = pixels + (size_t)cinfo->output_scanline * row_bytes;
    JSAMPROW target = scratch ? scratch : row;
    if (jpeg_read_scanlines(cinfo, &target, 1) != 1) ERREXIT(cinfo, JERR_INPUT_EOF);
    if (scratch) cmyk_row_to_rgb(scratch, row, cinfo->output_width, inverted);
  }
}

cic_status cic_jpeg_decode(const uint8_t *data, size_t size, const cic_decode_options *options,
                           cic_image *out, char *message, size_t message_capacity) {
  if (!options || !out || (!data && size)) return CIC_INVALID_ARGUMENT;
  memset(out, 0, sizeof *out);
  cic_set_message(message, message_capacity, "");
  struct jpeg_decompress_struct cinfo;
  cic_jpeg_error_mgr errors;
  cinfo.err = cic_jpeg_errors_install(&errors, !options->allow_truncated);
  uint8_t *volatile pixels = NULL;
  uint8_t *volatile scratch = NULL;
  volatile int created = 0;
  int jumped = setjmp(errors.jump);
  if (jumped) {
    char text[JMSG_LENGTH_MAX];
    cic_status status = CIC_TRUNCATED;
    if (jumped == CIC_JUMP_TRUNCATED) {
      cic_set_message(message, message_capacity, "premature end of JPEG data");
    } else {
      errors.pub.format_message((j_common_ptr)&cinfo, text);
      cic_set_message(message, message_capacity, text);
      status = jpeg_status_for_error(&cinfo);
    }
    free(pixels);
    free(scratch);
    cic_image_free(out);
    if (created) jpeg_destroy_decompress(&cinfo);
    return status;
  }
  jpeg_create_decompress(&cinfo);
  created = 1;
  if (size == 0) ERREXIT(&cinfo, JERR_INPUT_EMPTY);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
  (void)jpeg_read_header(&cinfo, TRUE);
  if ((uint64_t)cinfo.image_width * cinfo.image_height > options->max_pixels) {
    out->width = cinfo.image_width;
    out->height = cinfo.image_height;
    snprintf(message, message_capacity, "%ux%u pixels exceed the limit of %llu",
             (unsigned)cinfo.image_width, (unsigned)cinfo.image_height,
             (unsigned long long)options->max_pixels);
    jpeg_destroy_decompress(&cinfo);
    return CIC_TOO_LARGE;
  }
  jpeg_take_exif(&cinfo, out);  // saved markers are freed by jpeg_finish_decompress
  uint32_t channels = jpeg_choose_output(&cinfo);
  jpeg_start_decompress(&cinfo);
  size_t pixel_bytes = (size_t)cinfo.output_width * cinfo.output_height * channels;
  pixels = malloc(pixel_bytes);
  if (cinfo.out_color_space == JCS_CMYK) scratch = malloc((size_t)cinfo.output_width * 4);
  if (!pixels || (cinfo.out_color_space == JCS_CMYK && !scratch)) ERREXIT1(&cinfo, JERR_OUT_OF_MEMORY, 0);
  jpeg_read_rows(&cinfo, pixels, scratch, channels);
  jpeg_finish_decompress(&cinfo);
  out->width = cinfo.output_width;
  out->height = cinfo.output_height;
  out->channels = channels;
  out->bit_depth = 8;
  out->warnings = errors.warnings;
  out->pixels = pixels;
  out->pixel_bytes = pixel_bytes;
  free(scratch);
  jpeg_destroy_decompress(&cinfo);
  return CIC_OK;
}
