#!/usr/bin/env bash
# Runs every test of every module. Installs the system packages the tests need first (Debian/Ubuntu, as root
# or with sudo), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use (one per line, with the reason):
APT_PACKAGES=(
  coturn      # turnutils_* clients: interop tests of stun-turn against a STUN/TURN client nobody here wrote
  iproute2    # ip netns / veth: the NAT lab (scripts/nat-lab) puts test clients behind real NATs
  nftables    # the NAT lab's routers: masquerade (fully-random for a symmetric NAT), conntrack filtering
  conntrack   # the NAT lab flushes a router's mappings when it changes NAT mode, and checks them
  libpulse0   # libwebrtc (webrtc-java) links against it, even when calls use headless audio
  libimage-exiftool-perl  # exiftool: a metadata reader nobody here wrote checks that stripped pictures lost GPS
  opus-tools  # opusinfo/opusdec/opusenc: voice notes are checked against Ogg Opus tools nobody here wrote
  xvfb        # desktop-app's ShutdownOnSignalTest runs the real app on GTK on a virtual display and sends it SIGTERM
  libgtk-3-0  # JavaFX's GTK backend for that test (the other UI tests run headless on Monocle)
  libgl1      # OpenGL for JavaFX on GTK (bin/parley-desktop installs both for people too)
  fakeroot    # installer/build.sh builds the .debs as root-owned files without being root
  rpm         # installer/build.sh builds the .rpms (rpmbuild); the install test reads them (rpm -qp)
  lintian     # the install test checks the .debs against Debian's policy
  postgresql  # signaling-server's store contracts and integration tests on PostgreSQL (PostgresTestCluster, ADR 0150)
  redis-server  # signaling-server's cross-node tests: a real Redis for wake-ups and device routing (RedisTestServer, ADR 0151)
  haproxy     # integration-tests' ClusterFailoverTest: kill -9 and rolling restarts behind a real HAProxy (bin/parley-cluster, ADR 0152)
  curl        # bin/parley-cluster waits for each server's /ready with it
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

# Tests behind real NATs (network namespaces): they need root. CI runs as root, so there they always run.
if [ "${PARLEY_SKIP_NAT_LAB:-0}" = 1 ]; then
  echo "NAT lab tests SKIPPED: PARLEY_SKIP_NAT_LAB=1"
elif [ "$(id -u)" -ne 0 ]; then
  echo "NAT lab tests SKIPPED: they need root (network namespaces, nftables); run scripts/test-all.sh as root"
else
  # The lab's own checks, then calls through it (scripts/nat-lab/README.md), then a call that loses all UDP for
  # 15 s and must come back by an ICE restart; all run, any failing fails.
  nat_lab_failed=0
  scripts/nat-lab/selftest.sh || nat_lab_failed=1
  scripts/nat-lab/call-test.sh || nat_lab_failed=1
  bench/scripts/call-reconnect.sh || nat_lab_failed=1
  if [ "$nat_lab_failed" -ne 0 ]; then
    echo "NAT lab tests FAILED (see above)" >&2
    exit 1
  fi
fi

# The Linux packages: built, installed, run, upgraded and purged (installer/README.md). Installing needs root.
if [ "${PARLEY_SKIP_INSTALL_TEST:-0}" = 1 ]; then
  echo "Install test SKIPPED: PARLEY_SKIP_INSTALL_TEST=1"
elif [ "$(id -u)" -ne 0 ]; then
  echo "Install test SKIPPED: it installs packages; run scripts/test-all.sh as root"
else
  rm -rf installer/target
  installer/test-install.sh
fi
