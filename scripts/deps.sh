#!/usr/bin/env bash
# Installs the C libraries translate links against (libpng, libjpeg, OpenBLAS) when they are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail
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
