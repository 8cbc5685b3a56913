#!/usr/bin/env bash
# Installs the C libraries translate links against (libpng, libjpeg, OpenBLAS) when they are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
# `--test` (scripts/test.sh) also installs the Python packages tests check our files with: tensorboard (reads our
# event files back; pip, about 8 s here) and onnxruntime (runs our ONNX exports; about 23 s). Both are optional:
# without python3 or pip access the tests that need them report themselves skipped.
# `--test` also installs Open MPI's runtime (openmpi-bin, with libmpi.so.40): the tests that run translate under
# `mpirun -np 2`. translate itself never needs it (it loads libmpi only when mpirun/srun started it) and builds
# without MPI headers, so no libopenmpi-dev.
set -euo pipefail
if [ "${1:-}" = "--test" ] && command -v python3 >/dev/null; then
  for module in tensorboard onnxruntime; do
    python3 -c "import $module" 2>/dev/null && continue
    if [ "$(id -u)" -eq 0 ]; then
      echo "deps: pip installing $module (for the tests that check our files with it)" >&2
      timeout 300 python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "$module" >&2 \
        || echo "deps: $module not installed; the tests that need it will be skipped" >&2
    else
      echo "deps: optional: python3 -m pip install $module (else the tests that need it are skipped)" >&2
    fi
  done
fi
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
needed=()
for pkg in libpng-dev libjpeg-dev libopenblas-dev; do installed "$pkg" || needed+=("$pkg"); done
if [ "${1:-}" = "--test" ] && ! installed openmpi-bin; then
  if [ "$(id -u)" -eq 0 ]; then
    needed+=(openmpi-bin)
  else
    echo "deps: optional: sudo apt-get install -y openmpi-bin (else the mpirun tests are skipped)" >&2
  fi
fi
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${needed[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
else
  echo "deps: missing ${needed[*]}; run:  sudo apt-get install -y ${needed[*]}" >&2
  exit 1
fi
