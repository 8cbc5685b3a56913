// libjpeg error manager for the shim: fatal errors longjmp back to the C entry point that set the jump.
#include "jpeg_errors.h"

#include <jerror.h>
#include <string.h>

static void cic_jpeg_error_exit(j_common_ptr cinfo) {
  cic_jpeg_error_mgr *manager = (cic_jpeg_error_mgr *)cinfo->err;
  longjmp(manager->jump, 1);
}

/// Counts warnings (level -1); trace messages (level >= 0) are ignored. Kept cheap on purpose.
static void cic_jpeg_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  cic_jpeg_error_mgr *manager = (cic_jpeg_error_mgr *)cinfo->err;
  if (manager->warnings < UINT32_MAX) manager->warnings++;
  if (manager->pub.msg_code == JWRN_JPEG_EOF) {
    manager->truncated = 1;
    if (manager->stop_on_truncation) longjmp(manager->jump, CIC_JUMP_TRUNCATED);
  }
}

static void cic_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

struct jpeg_error_mgr *cic_jpeg_errors_install(cic_jpeg_error_mgr *manager, int stop_on_truncation) {
  memset(manager, 0, sizeof *manager);
  struct jpeg_error_mgr *pub = jpeg_std_error(&manager->pub);
  pub->error_exit = cic_jpeg_error_exit;
  pub->emit_message = cic_jpeg_emit_message;
  pub->output_message = cic_jpeg_output_message;
  manager->stop_on_truncation = stop_on_truncation;
  return pub;
}
