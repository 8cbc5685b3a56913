// im2col / col2im row loops (Caffe). Plain C that clang vectorizes; the tiling and threading stay in Swift
// (TensorCore/Im2col.swift), the naive twins too.
#include "ckernels.h"
#include <string.h>

// Output columns whose input column iw = ow·stride + offset lies in [0, W): [*lo, *hi).
static inline void valid_columns(const ck_conv_geometry *g, int kj, int *lo, int *hi, int *offset) {
  const int off = kj * g->dilation - g->padding;
  int l = off >= 0 ? 0 : (-off + g->stride - 1) / g->stride;
  int h = g->width - off <= 0 ? 0 : (g->width - off + g->stride - 1) / g->stride;
  if (h > g->out_width) h = g->out_width;
  if (l > h) l = h;
  *lo = l; *hi = h; *offset = off;
}

void ck_im2col(const float *image, const ck_conv_geometry *g, int oh_begin, int oh_end, int r_begin, int r_end,
               float *columns) {
  const int k = g->kernel, kk = k * k, OW = g->out_width, W = g->width, s = g->stride;
  const long tile_n = (long)(oh_end - oh_begin) * OW;
  for (int r = r_begin; r < r_end; r++) {
    const int c = r / kk, ki = (r / k) % k, kj = r % k;
    int lo, hi, off;
    valid_columns(g, kj, &lo, &hi, &off);
    const float *plane = image + (long)c * g->height * W;
    float *out = columns + r * tile_n;
    for (int oh = oh_begin; oh < oh_end; oh++) {
      float *row = out + (long)(oh - oh_begin) * OW;
      const int ih = oh * s - g->padding + ki * g->dilation;
      if (ih < 0 || ih >= g->height) {
        memset(row, 0, sizeof(float) * OW);
        continue;
      }
      const float *in = plane + (long)ih * W + off;
      memset(row, 0, sizeof(float) * lo);
      if (s == 1) {
        memcpy(row + lo, in + lo, sizeof(float) * (hi - lo));
      } else {
        for (int ow = lo; ow < hi; ow++) row[ow] = in[ow * s];
      }
      memset(row + hi, 0, sizeof(float) * (OW - hi));
    }
  }
}

void ck_col2im(const float *columns, const ck_conv_geometry *g, int oh_begin, int oh_end, int c_begin, int c_end,
               float *image) {
  const int k = g->kernel, OW = g->out_width, W = g->width, s = g->stride;
  const long tile_n = (long)(oh_end - oh_begin) * OW;
  for (int c = c_begin; c < c_end; c++) {
    float *plane = image + (long)c * g->height * W;
    for (int ki = 0; ki < k; ki++) {
      for (int kj = 0; kj < k; kj++) {
        const float *in = columns + ((long)(c * k + ki) * k + kj) * tile_n;
        int lo, hi, off;
        valid_columns(g, kj, &lo, &hi, &off);
        for (int oh = oh_begin; oh < oh_end; oh++) {
          const int ih = oh * s - g->padding + ki * g->dilation;
          if (ih < 0 || ih >= g->height) continue;
          const float *restrict row = in + (long)(oh - oh_begin) * OW;
          float *restrict out = plane + (long)ih * W + off;
          if (s == 1) {
            for (int ow = lo; ow < hi; ow++) out[ow] += row[ow];
          } else {
            for (int ow = lo; ow < hi; ow++) out[ow * s] += row[ow];
          }
        }
      }
    }
  }
}
