#!/usr/bin/env bash
# Installs the C libraries translate links against (libpng, libjpeg, OpenBLAS) when they are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
# `--test` (scripts/test.sh) also installs what tests read files back with: the tensorboard Python package (pip,
# about 8 s here). It is optional: without python3 or pip access the TensorBoard read-back tests are skipped.
set -euo pipefail
if [ "${1:-}" = "--test" ] && command -v python3 >/dev/null && ! python3 -c "import tensorboard" 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "deps: pip installing tensorboard (the TensorBoard event-file tests read with it)" >&2
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore tensorboard >&2 \
      || echo "deps: tensorboard not installed; the TensorBoard read-back tests will be skipped" >&2
  else
    echo "deps: optional: python3 -m pip install tensorboard (else the TensorBoard read-back tests are skipped)" >&2
  fi
fi
needed=()
for pkg in libpng-dev libjpeg-dev libopenblas-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || needed+=("$pkg")
done
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
