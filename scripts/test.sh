#!/usr/bin/env bash
# The test suite from a fresh machine: installs what is missing, then runs every test (release build:
# numeric kernels are 40–250× slower in a debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
exec swift test -c release "$@"
