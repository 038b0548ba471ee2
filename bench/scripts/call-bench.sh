#!/usr/bin/env bash
# Call audio quality under packet loss, without touching this machine's own network: runs
# `bin/parley-call-bench --only quality` inside a fresh network namespace whose loopback drops LOSS % of packets
# (tc netem, or an nftables random drop where the kernel lacks netem), so Opus in-band FEC and packet-loss concealment are what is measured. Needs root (ip netns, tc).
#
#   bench/scripts/call-bench.sh [LOSS_PERCENT (default 5)] [more call-bench options, e.g. --tone-seconds 30]
#
# The namespace has only a loopback and a veth pair (libwebrtc ignores loopback-only hosts), and is deleted
# on exit, whatever happens.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
loss="${1:-5}"
shift || true
[ "$(id -u)" -eq 0 ] || { echo "call-bench.sh: needs root (network namespaces, tc netem)" >&2; exit 2; }

# Build outside the namespace (it has no route to Maven Central).
"$root/bin/parley-call-bench" --help >/dev/null

ns="parley-callbench-$$"
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link add v0 type veth peer name v1
ip netns exec "$ns" ip addr add 10.77.0.1/24 dev v0
ip netns exec "$ns" ip link set v0 up
ip netns exec "$ns" ip link set v1 up
if [ "$loss" != "0" ]; then
  # tc netem where the kernel has it; else the same random drop with nftables (installed by scripts/test-all.sh
  # for the NAT lab), on UDP only (media, STUN, TURN; the signaling TCP is spared either way by its retransmissions).
  if ! ip netns exec "$ns" tc qdisc add dev lo root netem loss "${loss}%" 2>/dev/null; then
    command -v nft >/dev/null || { echo "call-bench.sh: no netem in this kernel and no nft: apt-get install nftables" >&2; exit 2; }
    per10k="$(awk -v l="$loss" 'BEGIN { printf "%d", l * 100 }')"
    ip netns exec "$ns" nft -f - <<NFT
table inet callbench {
  chain input {
    type filter hook input priority 0;
    meta l4proto udp numgen random mod 10000 < $per10k drop
  }
}
NFT
    echo "(no sch_netem in this kernel: dropping ${loss}% of UDP packets with nftables numgen)"
  fi
fi
echo "network namespace $ns: loopback loss ${loss}%"
ip netns exec "$ns" "$root/bin/parley-call-bench" --only quality "$@"
