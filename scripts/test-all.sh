#!/usr/bin/env bash
# Runs every test of every module. Installs the system packages the tests need first (Debian/Ubuntu, as root
# or with sudo), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use (one per line, with the reason):
APT_PACKAGES=(
  coturn      # turnutils_* clients: interop tests of stun-turn against a STUN/TURN client nobody here wrote
  libpulse0   # libwebrtc (webrtc-java) links against it, even when calls use headless audio
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

./mvnw -B -ntp verify "$@"
