// The shim's libjpeg error manager (not public): error_exit longjmps instead of calling exit(), and
// emit_message only counts warnings (it can run 10^5 times on a damaged file), noting truncation.
#ifndef CIC_JPEG_ERRORS_H
#define CIC_JPEG_ERRORS_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include <jpeglib.h>

/// longjmp value when strict mode stops at the first "Premature end of JPEG file".
#define CIC_JUMP_TRUNCATED 2

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  uint32_t warnings;
  int truncated;           ///< libjpeg reported "Premature end of JPEG file" (JWRN_JPEG_EOF)
  int stop_on_truncation;  ///< strict policy: longjmp with CIC_JUMP_TRUNCATED at the first one
} cic_jpeg_error_mgr;

/// Installs the handlers into `manager` (jpeg_std_error plus our overrides) and returns its public part.
struct jpeg_error_mgr *cic_jpeg_errors_install(cic_jpeg_error_mgr *manager, int stop_on_truncation);

#endif
