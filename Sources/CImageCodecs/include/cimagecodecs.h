// C entry points of the image codec shim: PNG (libpng) and JPEG (libjpeg) decode/encode from/to memory.
// Every function returns a cic_status and writes a NUL-terminated reason into `message`; setjmp/longjmp
// never leave the C function that set them (Swift cannot call setjmp, and a longjmp across Swift frames is
// undefined behaviour). png.h and jpeglib.h stay out of this header.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a shim call. Anything but CIC_OK leaves the output untouched (nothing to free).
typedef enum {
  CIC_OK = 0,
  CIC_DECODE_FAILED = 1,  ///< malformed or corrupt data (message gives the library's reason)
  CIC_UNSUPPORTED = 2,    ///< valid but unsupported coding (12-bit or lossless JPEG, …)
  CIC_TOO_LARGE = 3,      ///< width × height above the caller's pixel limit; nothing was allocated
  CIC_TRUNCATED = 4,      ///< data ends early (JPEG: "Premature end"; PNG: IEND missing or damaged)
  CIC_NO_MEMORY = 5,
  CIC_ENCODE_FAILED = 6,
  CIC_INVALID_ARGUMENT = 7,
} cic_status;

/// Decoding policy. `max_pixels` is checked after the header is read and before any pixel buffer exists.
typedef struct {
  uint64_t max_pixels;
  /// 0: truncated data is an error (CIC_TRUNCATED). 1: keep what decoded (JPEG fills the rest with gray;
  /// PNG ignores a missing or damaged IEND after complete image data).
  int allow_truncated;
} cic_decode_options;

/// A decoded image. `pixels`: height rows × width pixels × channels samples, interleaved, row-major;
/// each sample is one byte (bit_depth 8) or one native-endian uint16 (bit_depth 16).
/// `exif`: the raw TIFF-structured EXIF block (JPEG APP1 after "Exif\0\0", PNG eXIf), or NULL.
typedef struct {
  uint32_t width, height;
  uint32_t channels;   ///< 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  uint32_t bit_depth;  ///< 8 or 16
  uint32_t warnings;   ///< library warnings seen while decoding (corrupt-but-recoverable data)
  uint8_t *pixels;
  size_t pixel_bytes;
  uint8_t *exif;
  size_t exif_bytes;
} cic_image;

/// Size of the message buffer callers pass (bytes, including the NUL).
#define CIC_MESSAGE_CAPACITY 200

/// Decodes a PNG held in memory. On CIC_OK, release `out` with cic_image_free.
cic_status cic_png_decode(const uint8_t *data, size_t size, const cic_decode_options *options,
                          cic_image *out, char *message, size_t message_capacity);

/// Decodes a JPEG held in memory (8-bit sequential, progressive, arithmetic; gray → 1 channel,
/// YCbCr/RGB/CMYK/YCCK → 3 channels RGB). On CIC_OK, release `out` with cic_image_free.
cic_status cic_jpeg_decode(const uint8_t *data, size_t size, const cic_decode_options *options,
                           cic_image *out, char *message, size_t message_capacity);

/// Frees what a successful decode allocated and zeroes the struct. Safe on a zeroed struct.
void cic_image_free(cic_image *image);

/// Encodes interleaved samples (layout as in cic_image; channels 1–4, bit depth 8 or 16) as PNG.
/// On CIC_OK, *out_data is malloc'd (release with cic_buffer_free) and *out_size is its length.
cic_status cic_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                          uint32_t bit_depth, uint8_t **out_data, size_t *out_size, char *message,
                          size_t message_capacity);

/// Encodes 8-bit gray (channels 1) or RGB (channels 3) as baseline JPEG. quality 1–100;
/// chroma_444 = 1 keeps full-resolution chroma, 0 subsamples it 2×2 (4:2:0). Output as cic_png_encode.
cic_status cic_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                           int quality, int chroma_444, uint8_t **out_data, size_t *out_size,
                           char *message, size_t message_capacity);

/// Frees a buffer returned by an encoder.
void cic_buffer_free(uint8_t *data);

#ifdef __cplusplus
}
#endif

#endif
