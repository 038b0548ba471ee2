#!/usr/bin/env bash
# Runs the real desktop app under Xvfb in demo mode, drives it through its key screens and writes PNGs to
# docs/screenshots/ (or the directory given as $1). Needs: xvfb xauth libgtk-3-0 libgl1 fonts-dejavu-core (and
# fonts-symbola for the emoji of chat list previews).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/docs/screenshots}"
mkdir -p "$out"
for cmd in xvfb-run xauth; do
  command -v "$cmd" >/dev/null || { echo "screenshots.sh: $cmd is missing (apt-get install xvfb xauth libgtk-3-0 libgl1 fonts-dejavu-core fonts-symbola)" >&2; exit 1; }
done
# A fixed zone and locale so the pictures do not depend on the machine.
# No camera here: the video call's picture is client-core's test pattern.
export PARLEY_VIDEO_SOURCE="${PARLEY_VIDEO_SOURCE:-pattern}"
export TZ="${TZ:-UTC}" LANG=C.UTF-8 PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:-} -Dprism.order=sw -Dprism.lcdtext=false"
exec xvfb-run -a -s "-screen 0 1280x800x24" "$root/bin/parley-desktop" --demo --onboarding --theme light \
  --screenshots "$out"
