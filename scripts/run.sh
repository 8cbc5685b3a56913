#!/usr/bin/env bash
# The main job from a fresh machine: installs what is missing, builds translate (release) and runs it.
# Without arguments it runs the convolution benchmark; any arguments are passed to translate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
swift build -c release --product translate >&2
if [ $# -eq 0 ]; then set -- bench; fi
exec .build/release/translate "$@"
