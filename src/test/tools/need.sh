#!/usr/bin/env bash
# What some tests need from outside the JVM, installed from Debian's packages when it is missing:
#   fonts     the plots draw text with the JDK's 2D graphics (fontconfig and a font)
#   chromium  the report test opens a run's index.html in headless Chromium
#   numpy     the safetensors test reads an export with /usr/bin/python3 and NumPy
# Maven runs this before the tests that need each one (mvn -B test: fonts; mvn -B verify: all three).
# It says what it installs. Without root or apt-get it says what is missing and how to install it,
# and the build stops there rather than in a test.
set -uo pipefail

python=/usr/bin/python3
[ -x "$python" ] || python=python3

present() {
  case "$1" in
    fonts) command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | sed -n 1p)" ] ;;
    chromium) command -v chromium >/dev/null 2>&1 && chromium --version >/dev/null 2>&1 ;;
    numpy) "$python" -c 'import numpy; numpy.zeros(1)' >/dev/null 2>&1 ;;
  esac
}

packages() {
  case "$1" in
    fonts) echo "fontconfig fonts-dejavu-core" ;;
    chromium) echo "chromium" ;;
    numpy) echo "python3 python3-numpy" ;;
  esac
}

missing=()
for need in "$@"; do
  present "$need" || missing+=("$need")
done
[ ${#missing[@]} -eq 0 ] && exit 0

wanted=""
for need in "${missing[@]}"; do wanted="$wanted $(packages "$need")"; done
wanted="${wanted# }"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ffspark tests: missing ${missing[*]}; install them (Debian: sudo apt-get install -y $wanted) and run again" >&2
  exit 1
fi
echo "ffspark tests: installing $wanted (apt-get) for ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1
apt-get install -y -qq $wanted >/dev/null 2>&1
# A package that counts as installed but whose files are gone (or hidden) is put back in place.
still=()
for need in "${missing[@]}"; do present "$need" || still+=("$need"); done
if [ ${#still[@]} -gt 0 ]; then
  again=""
  for need in "${still[@]}"; do again="$again $(packages "$need")"; done
  apt-get install -y -qq --reinstall $again >/dev/null 2>&1
fi
for need in "${missing[@]}"; do
  if ! present "$need"; then
    echo "ffspark tests: could not install $need ($(packages "$need")); the tests that need it cannot run" >&2
    exit 1
  fi
done
