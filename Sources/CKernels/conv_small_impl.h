// The width-generic half of conv_small.c, included once per instruction set with VTARGET, VEC, VW (floats per
// vector), VLOAD, VSTORE, VSET1, VFMA, VLOAD_FIRST / VSTORE_FIRST (the first n lanes, n < VW) and FN(name).
#define PB (VW * NV) /* output columns per register block */

// acc[o][v] += Σ_{c,t,u} w[o][c][t][u] · in[c, t, u][ow0 + VW·v + lane]; wp packed as [c][t][u][CB]. The taps
// are one flat list of offsets (built per band), so that the loop is a single counter however small kw is.
VTARGET __attribute__((always_inline)) static inline void FN(micro)(const taps *tp, int ow0, const float *wp, int KC,
                                                                VEC acc[CB][NV]) {
  const float *in = tp->in + ow0;
  const int *tap = tp->tap, n = tp->n;
  for (int i = 0; i < n; i++, wp += CB) {
    const float *p = in + tap[i];
    VEC v[NV];
    for (int j = 0; j < NV; j++) v[j] = VLOAD(p + VW * j);
    for (int o = 0; o < KC; o++) {
      VEC wv = VSET1(wp[o]);
      for (int j = 0; j < NV; j++) acc[o][j] = VFMA(wv, v[j], acc[o][j]);
    }
  }
}


// Output channels [o0, o0 + KC), columns [ow0, ow0 + PB) ∩ [0, OW) of one output row: y[o] = row (pitch ys
// floats between channels); bias or zero, or with `accumulate` the row's current values, as the starting point.
VTARGET __attribute__((always_inline)) static inline void FN(block)(const taps *tp, const float *wp, const float *bias,
                                                                int o0, int KC, int ow0, float *y, long ys, int OW,
                                                                int accumulate) {
  VEC acc[CB][NV];
  int rem = OW - ow0;
  for (int o = 0; o < KC; o++) {
    float *out = y + (o0 + o) * ys + ow0;
    for (int v = 0; v < NV; v++) {
      if (!accumulate) acc[o][v] = VSET1(bias ? bias[o0 + o] : 0.0f);
      else if (rem >= VW * v + VW) acc[o][v] = VLOAD(out + VW * v);
      else acc[o][v] = VLOAD_FIRST(out + VW * v, rem - VW * v);
    }
  }
  FN(micro)(tp, ow0, wp, KC, acc);
  for (int o = 0; o < KC; o++) {
    float *out = y + (o0 + o) * ys + ow0;
    for (int v = 0; v < NV; v++) {
      if (rem >= VW * v + VW) VSTORE(out + VW * v, acc[o][v]);
      else if (rem > VW * v) VSTORE_FIRST(out + VW * v, rem - VW * v, acc[o][v]);
    }
  }
}

// All K output channels of one output row; wp packed as [K/CB][C][kh][kw][CB] (zeros past K). Column blocks
// outside, channel blocks inside: a block's input columns stay in L1 while every channel block reads them.
VTARGET static void FN(conv_row)(const taps *tp, const float *wp, const float *bias, int K, float *y, long ys, int OW,
                             int accumulate) {
  const long size = (long)tp->n * CB;
  const int full = K / CB * CB;
  for (int ow0 = 0; ow0 < OW; ow0 += PB) {
    for (int o0 = 0; o0 < full; o0 += CB) FN(block)(tp, wp + o0 / CB * size, bias, o0, CB, ow0, y, ys, OW, accumulate);
    const float *last = wp + full / CB * size;
    switch (K - full) {
    case 1: FN(block)(tp, last, bias, full, 1, ow0, y, ys, OW, accumulate); break;
    case 2: FN(block)(tp, last, bias, full, 2, ow0, y, ys, OW, accumulate); break;
    case 3: FN(block)(tp, last, bias, full, 3, ow0, y, ys, OW, accumulate); break;
    case 4: FN(block)(tp, last, bias, full, 4, ow0, y, ys, OW, accumulate); break;
    case 5: FN(block)(tp, last, bias, full, 5, ow0, y, ys, OW, accumulate); break;
    case 6: FN(block)(tp, last, bias, full, 6, ow0, y, ys, OW, accumulate); break;
    case 7: FN(block)(tp, last, bias, full, 7, ow0, y, ys, OW, accumulate); break;
    default: break;
    }
  }
}

VTARGET static int FN(conv2d)(const float *x, int C, int H, int W, const ck_input_map *map, const float *w,
                            const float *bias, int K, int k, int stride, int pad, int OH, int OW, float *y,
                            int accumulate, int row_begin, int row_end) {
  const int s = stride;
  if (k > 64) return -2;
  const long owr = round_up(OW, PB);
  const long wph = owr + (k - 1) / s + 1;          // phase row: every column a block can read
  const long row_floats = (long)C * s * wph;       // one padded input row, all channels
  long band = SCRATCH_BYTES / 4 / row_floats / s;  // output rows per band
  if (band < 1) band = 1;
  const long band_rows = (band - 1) * s + k;
  const long wfloats = round_up(K, CB) * (long)C * k * k;
  float *wp = malloc(sizeof(float) * (wfloats + s * wph + row_floats * band_rows + (long)C * k * k));
  if (!wp) return -1;
  float *line = wp + wfloats, *scratch = line + s * wph;
  int *tap = (int *)(scratch + row_floats * band_rows);
  pack_weights(w, (weight_view){(long)C * k * k, (long)k * k, k, 1, 0}, K, C, k, k, wp);
  long off[64];
  for (int u = 0; u < k; u++) off[u] = (u % s) * wph + u / s;
  const long plane = (long)OH * OW;
  for (int b0 = row_begin; b0 < row_end; b0 += band) {
    int b1 = b0 + band < row_end ? b0 + band : row_end;
    int r0 = b0 * s, r1 = (b1 - 1) * s + k;
    fill_band(x, C, H, W, s, pad, pad, r0, r1, wph, line, scratch, map);
    list_taps(tap, C, k, k, (long)(r1 - r0) * s * wph, s * wph, off);
    for (int oh = b0; oh < b1; oh++) {
      taps tp = {scratch + (long)(oh * s - r0) * s * wph, tap, C * k * k};
      FN(conv_row)(&tp, wp, bias, K, y + (long)oh * OW, plane, OW, accumulate);
    }
  }
  free(wp);
  return 0;
}

VTARGET static int FN(conv_transpose2d)(const float *x, int C, int H, int W, const float *w, const float *bias, int K,
                                      int k, int stride, int pad, int OH, int OW, float *y, int accumulate,
                                      int row_begin, int row_end) {
  const int s = stride;
  if (s > 4 || k > 64) return -2;
  phase ph[4];
  int first_min = 0, last_max = 0, n_max = 0;
  for (int a = 0; a < s; a++) {
    ph[a] = phase_of(a, pad, s, k);
    if (a == 0 || ph[a].first < first_min) first_min = ph[a].first;
    if (a == 0 || ph[a].first + ph[a].n > last_max) last_max = ph[a].first + ph[a].n;
    if (ph[a].n > n_max) n_max = ph[a].n;
  }
  const long owr = round_up((OW + s - 1) / s, PB);       // columns of one phase, rounded to blocks
  const int pad_left = -first_min;                       // scratch column of input column 0
  const long width = owr + (last_max - first_min) + 1;   // every column a block can read
  const long row_floats = (long)C * width;
  long band = SCRATCH_BYTES / 4 / row_floats;             // input rows per band
  if (band < 1) band = 1;
  const long band_rows = band + (last_max - first_min);
  // Packed sub-kernels, one per phase pair (a, b), each of the size of the largest.
  const long sub = round_up(K, CB) * (long)C * n_max * n_max;
  const long ntaps = (long)C * n_max * n_max;
  float *wp = malloc(sizeof(float) * (sub * s * s + row_floats * band_rows + (long)s * K * owr + width + ntaps * s * s));
  if (!wp) return -1;
  float *scratch = wp + sub * s * s, *tmp = scratch + row_floats * band_rows, *line = tmp + (long)s * K * owr;
  int *tap = (int *)(line + width);
  for (int a = 0; a < s; a++)
    for (int b = 0; b < s; b++) {
      // Sub-kernel tap (t, u) is w[c][o][r_a + s·(n_a − 1 − t)][r_b + s·(n_b − 1 − u)].
      weight_view v = {(long)k * k, (long)K * k * k, -(long)s * k, -s,
                       (long)(ph[a].r + s * (ph[a].n - 1)) * k + ph[b].r + s * (ph[b].n - 1)};
      pack_weights(w, v, K, C, ph[a].n, ph[b].n, wp + (a * s + b) * sub);
    }
  long off[64];
  for (int u = 0; u < n_max; u++) off[u] = u;
  const long plane = (long)OH * OW;
  for (int b0 = row_begin; b0 < row_end;) {
    // Output rows [b0, b1) read input rows [m(b0) + first_min, m(b1 − 1) + last_max).
    int r0 = b0 / s + first_min, b1 = b0;
    while (b1 < row_end && (b1 / s + last_max) - r0 <= band_rows) b1++;
    if (b1 == b0) b1 = b0 + 1;
    int r1 = (b1 - 1) / s + last_max;
    fill_band(x, C, H, W, 1, 0, pad_left, r0, r1, width, line, scratch, NULL);
    for (int a = 0; a < s; a++)
      for (int b = 0; b < s; b++)
        list_taps(tap + (a * s + b) * ntaps, C, ph[a].n, ph[b].n, (long)(r1 - r0) * width, width, off);
    for (int oy = b0; oy < b1; oy++) {
      int a = oy % s, m = oy / s;
      for (int b = 0; b < s; b++) {
        int owb = (OW - b + s - 1) / s;
        taps tp = {scratch + (long)(m + ph[a].first - r0) * width + (ph[b].first + pad_left),
                   tap + (a * s + b) * ntaps, C * ph[a].n * ph[b].n};
        float *out = s == 1 ? y + (long)oy * OW : tmp + (long)b * K * owr;
        long ys = s == 1 ? plane : owr;
        if (owb > 0) FN(conv_row)(&tp, wp + (a * s + b) * sub, accumulate && s > 1 ? NULL : bias, K, out, ys,
                              s == 1 ? OW : (int)owr, accumulate && s == 1);
      }
      if (s == 1) continue;
      for (int o = 0; o < K; o++) {
        float *out = y + o * plane + (long)oy * OW;
        if (s == 2) {
          interleave2(tmp + (long)o * owr, tmp + ((long)K + o) * owr, out, OW, accumulate);
          continue;
        }
        for (int xo = 0; xo < OW; xo++) {
          float v = tmp[((long)(xo % s) * K + o) * owr + xo / s];
          out[xo] = accumulate ? out[xo] + v : v;
        }
      }
    }
    b0 = b1;
  }
  free(wp);
  return 0;
}

// Weight gradient over output rows [row_begin, row_end): dw[o][c][t][u] += Σ dy[o][oh][ow] · xpad[c][oh·s + t][ow·s + u]
// on the same phase-split bands as the forward pass. Blocks of 6 output channels × 2 taps keep 12 vector sums over
// the band's pixels, reduced once per band.
VTARGET static int FN(conv2d_weight)(const float *dy, const float *x, int C, int H, int W, int K, int k, int s,
                                     int pad, int OH, int OW, float *dw, int row_begin, int row_end) {
  if (k > 64) return -2;
  const long owr = round_up(OW, VW);
  const long wph = owr + (k - 1) / s + 1;
  const long row_floats = (long)C * s * wph;
  long band = SCRATCH_BYTES / 4 / (row_floats * s + (long)K * OW);
  if (band < 1) band = 1;
  const long band_rows = (band - 1) * s + k, taps_n = (long)C * k * k;
  float *line = malloc(sizeof(float) * (s * wph + row_floats * band_rows + taps_n));
  if (!line) return -1;
  float *scratch = line + s * wph;
  int *tap = (int *)(scratch + row_floats * band_rows);
  long off[64];
  for (int u = 0; u < k; u++) off[u] = (u % s) * wph + u / s;
  const long plane = (long)OH * OW;
  for (int b0 = row_begin; b0 < row_end; b0 += band) {
    int b1 = b0 + band < row_end ? b0 + band : row_end;
    int r0 = b0 * s, r1 = (b1 - 1) * s + k;
    fill_band(x, C, H, W, s, pad, pad, r0, r1, wph, line, scratch, NULL);
    list_taps(tap, C, k, k, (long)(r1 - r0) * s * wph, s * wph, off);
    for (int o0 = 0; o0 < K; o0 += CB) {
      const int KC = K - o0 < CB ? K - o0 : CB;
      for (long i0 = 0; i0 < taps_n; i0 += 2) {
        const int TC = taps_n - i0 < 2 ? 1 : 2;
        VEC acc[CB][2];
        for (int o = 0; o < CB; o++) acc[o][0] = acc[o][1] = VSET1(0.0f);
        for (int oh = b0; oh < b1; oh++) {
          const float *in = scratch + (long)(oh * s - r0) * s * wph;
          const float *x0 = in + tap[i0], *x1 = in + tap[i0 + TC - 1];
          const float *g = dy + (long)o0 * plane + (long)oh * OW;
          for (int ow = 0; ow < OW; ow += VW) {
            VEC v0 = VLOAD(x0 + ow), v1 = VLOAD(x1 + ow);
            for (int o = 0; o < KC; o++) {
              VEC d = OW - ow >= VW ? VLOAD(g + o * plane + ow) : VLOAD_FIRST(g + o * plane + ow, OW - ow);
              acc[o][0] = VFMA(d, v0, acc[o][0]);
              acc[o][1] = VFMA(d, v1, acc[o][1]);
            }
          }
        }
        for (int o = 0; o < KC; o++) {
          dw[(long)(o0 + o) * taps_n + i0] += VSUM(acc[o][0]);
          if (TC == 2) dw[(long)(o0 + o) * taps_n + i0 + 1] += VSUM(acc[o][1]);
        }
      }
    }
  }
  free(line);
  return 0;
}

#undef PB
