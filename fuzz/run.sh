#!/usr/bin/env bash
# Builds and runs the libFuzzer harnesses for our PNG and JPEG decoders and the PyTorch checkpoint reader with
# AddressSanitizer (leak checking on). The harnesses are Swift (fuzz/Fuzz*.swift + Sources/ImageCodecs, or
# Sources/PyTorchFiles) built with swiftc directly, linking the C shim compiled with clang: a SwiftPM executable
# cannot link with -sanitize=fuzzer.
#
#   fuzz/run.sh build                 # builds .build-fuzz/fuzz-png, fuzz-jpeg and fuzz-pth
#   fuzz/run.sh png  [RUNS] [ARGS…]   # runs RUNS executions (default 1000000) from fuzz/seeds/png
#   fuzz/run.sh jpeg [RUNS] [ARGS…]
#   fuzz/run.sh pth  [RUNS] [ARGS…]
# New interesting inputs go to .build-fuzz/corpus-<format>; crashes to .build-fuzz/artifacts-<format>/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/.build-fuzz"

build() {
  mkdir -p "$OUT/obj"
  for source in "$ROOT"/Sources/CImageCodecs/*.c; do
    clang -c -g -O1 -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CImageCodecs/include" \
      -I "$ROOT/Sources/CImageCodecs" "$source" -o "$OUT/obj/$(basename "$source" .c).o"
  done
  for format in png jpeg; do
    harness="$ROOT/fuzz/Fuzz$(echo "$format" | tr a-z A-Z).swift"
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name FuzzImageCodecs \
      -Xcc -fmodule-map-file="$ROOT/fuzz/module.modulemap" -I "$ROOT/Sources/CImageCodecs/include" \
      "$ROOT"/Sources/ImageCodecs/*.swift "$harness" "$OUT"/obj/*.o -lpng16 -ljpeg \
      -o "$OUT/fuzz-$format"
  done
  # The checkpoint reader depends on nothing: its sources and the harness alone.
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name FuzzPyTorchFiles \
    "$ROOT"/Sources/PyTorchFiles/*.swift "$ROOT/fuzz/FuzzPTH.swift" -o "$OUT/fuzz-pth"
}

run() {
  local format="$1" runs="${2:-1000000}"
  shift $(( $# < 2 ? $# : 2 ))
  mkdir -p "$OUT/corpus-$format" "$OUT/artifacts-$format"
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 "$OUT/fuzz-$format" \
    -runs="$runs" -max_len=65536 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
    -dict="$ROOT/fuzz/$format.dict" -artifact_prefix="$OUT/artifacts-$format/" "$@" "$OUT/corpus-$format" "$ROOT/fuzz/seeds/$format"
}

case "${1:-}" in
  build) build ;;
  png | jpeg | pth) run "$@" ;;
  *) echo "usage: $0 build | png [RUNS] | jpeg [RUNS] | pth [RUNS]" >&2; exit 2 ;;
esac
