#!/usr/bin/env bash
# Renders a training run's report.html in headless Chromium (Debian's `chromium` package) to a PNG: the check
# that the report works in a real browser from a plain file, with no server, and the README's picture.
#   scripts/screenshot_report.sh RUN_DIR/report.html OUT.png [WIDTHxHEIGHT]   (default 1000x1500)
# Not part of the test suite or CI; install the browser once with: apt-get install -y chromium
set -euo pipefail
report="${1:?usage: screenshot_report.sh REPORT.html OUT.png [WIDTHxHEIGHT]}"
out="${2:?usage: screenshot_report.sh REPORT.html OUT.png [WIDTHxHEIGHT]}"
size="${3:-1000x1500}"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "needs Chromium: apt-get install -y chromium" >&2; exit 1; }
[ -f "$report" ] || { echo "$report: no such file" >&2; exit 1; }
# A throwaway profile; --no-sandbox because root (CI, containers) cannot use Chromium's sandbox.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size="${size/x/,}" --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" 2>/dev/null
[ -s "$out" ] || { echo "Chromium wrote no screenshot" >&2; exit 1; }
echo "$out: $(stat -c %s "$out") bytes"
