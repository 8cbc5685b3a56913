#!/usr/bin/env bash
# The main job from a fresh machine: installs what is missing, builds translate (release) and runs it.
# Without arguments it translates the bundled day samples into night with the bundled model;
# any arguments are passed to translate instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
swift build -c release --product translate >&2
if [ $# -eq 0 ]; then set -- --from day --to night datasets/samples/day -o out/night; fi
exec .build/release/translate "$@"
