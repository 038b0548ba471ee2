#!/usr/bin/env bash
# nat-lab.sh — puts two test hosts behind real Linux NATs (network namespaces, veth pairs, nftables), with a
# "public" segment for the servers in between. Root only. See scripts/nat-lab/README.md.
#
#   nat-lab.sh up [MODE | --a MODE --b MODE]   build the lab (or, if it is up, set the NAT modes); MODE is
#                                              cone (default), symmetric or blocked
#   nat-lab.sh mode a|b|both MODE              change a NAT's mode (its conntrack table is flushed)
#   nat-lab.sh exec pub|a|b|ra|rb CMD...       run CMD in a namespace
#   nat-lab.sh status                          namespaces, addresses, NAT rules, conntrack entries
#   nat-lab.sh env                             the lab's addresses as shell assignments (for `eval`)
#   nat-lab.sh down                            stop every process in the lab and remove it (idempotent)
#
# Layout (the prefix is $NATLAB_PREFIX, default "nl"):
#
#   nl-a  10.0.1.2 --- 10.0.1.1  nl-ra  203.0.113.101 --+
#                                                       +-- bridge "inet" in nl-pub: 203.0.113.10 and .11 (servers)
#   nl-b  10.0.2.2 --- 10.0.2.1  nl-rb  203.0.113.102 --+
#
# NAT modes of a router (nl-ra, nl-rb):
#   cone       masquerade (Linux keeps the source port: endpoint-independent mapping); unsolicited inbound packets
#              (conntrack state NEW on the WAN side) are dropped, so filtering is address-and-port dependent.
#              Dropping them matters: otherwise the peer's first punch creates a conntrack entry on the router
#              itself and the host's own outbound packet is then mapped to another port.
#   symmetric  masquerade fully-random: every new 5-tuple gets a random public port (endpoint-dependent mapping),
#              same inbound filtering.
#   blocked    cone, and the LAN may reach only the server addresses: no packet between the two NATs.
set -euo pipefail

P="${NATLAB_PREFIX:-nl}"
NS_PUB="$P-pub"; NS_RA="$P-ra"; NS_RB="$P-rb"; NS_A="$P-a"; NS_B="$P-b"
ALL_NS=("$NS_A" "$NS_B" "$NS_RA" "$NS_RB" "$NS_PUB")
PUB_NET=203.0.113
SERVER_IP=$PUB_NET.10
SERVER_IP2=$PUB_NET.11
NAT_A_IP=$PUB_NET.101
NAT_B_IP=$PUB_NET.102
CLIENT_A_IP=10.0.1.2
CLIENT_B_IP=10.0.2.2
MODES="cone symmetric blocked"

die() { echo "nat-lab: $*" >&2; exit 1; }
log() { echo "nat-lab: $*" >&2; }
need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces and nftables need CAP_NET_ADMIN)"; }
need_tools() {
  local t
  for t in ip nft conntrack; do
    command -v "$t" >/dev/null || die "'$t' not found: apt-get install iproute2 nftables conntrack (scripts/test-all.sh does)"
  done
}
ns_exists() { [ -e "/var/run/netns/$1" ]; }
nsx() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

ns_name() {
  case "$1" in
    pub) echo "$NS_PUB" ;; a) echo "$NS_A" ;; b) echo "$NS_B" ;; ra) echo "$NS_RA" ;; rb) echo "$NS_RB" ;;
    *) die "unknown namespace '$1' (pub, a, b, ra, rb)" ;;
  esac
}

check_mode() {
  case " $MODES " in *" $1 "*) ;; *) die "unknown NAT mode '$1' (one of: $MODES)" ;; esac
}

# The nftables ruleset of one router, replaced atomically (nft -f), then its conntrack table flushed so no
# mapping from the previous mode survives.
set_mode() {
  local router="$1" mode="$2" masq="masquerade" fwd=""
  check_mode "$mode"
  [ "$mode" = symmetric ] && masq="masquerade fully-random"
  [ "$mode" = blocked ] && fwd="oifname \"wan\" ip daddr != { $SERVER_IP, $SERVER_IP2 } drop"
  nsx "$router" nft -f - <<EOF
table ip natlab
delete table ip natlab
table ip natlab {
  chain nat_out {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" $masq
  }
  chain wan_in {
    type filter hook prerouting priority filter; policy accept;
    iifname "wan" ct state new counter drop
  }
  chain lan_out {
    type filter hook forward priority filter; policy accept;
    $fwd
  }
}
EOF
  nsx "$router" conntrack -F >/dev/null 2>&1 || true
  echo "$mode" > "/run/natlab-$router.mode"
}

veth() { # veth NAME_A NS_A NAME_B NS_B
  ip link add "$1" netns "$2" type veth peer name "$3" netns "$4"
}

build() {
  local ns
  for ns in "${ALL_NS[@]}"; do
    ip netns add "$ns"
    nsx "$ns" ip link set lo up
    # IPv4 only: no IPv6 link-local candidates that lead nowhere.
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done

  # The public segment: a bridge that carries the server addresses.
  nsx "$NS_PUB" ip link add inet type bridge
  nsx "$NS_PUB" ip addr add "$SERVER_IP/24" dev inet
  nsx "$NS_PUB" ip addr add "$SERVER_IP2/24" dev inet
  nsx "$NS_PUB" ip link set inet up

  local side router client lan wan cip
  for side in a b; do
    if [ "$side" = a ]; then router=$NS_RA; client=$NS_A; lan=10.0.1; wan=$NAT_A_IP; cip=$CLIENT_A_IP
    else router=$NS_RB; client=$NS_B; lan=10.0.2; wan=$NAT_B_IP; cip=$CLIENT_B_IP; fi
    veth "wan" "$router" "to-$side" "$NS_PUB"
    nsx "$NS_PUB" ip link set "to-$side" master inet up
    nsx "$router" ip addr add "$wan/24" dev wan
    nsx "$router" ip link set wan up
    veth "lan" "$router" "eth0" "$client"
    nsx "$router" ip addr add "$lan.1/24" dev lan
    nsx "$router" ip link set lan up
    nsx "$router" sysctl -qw net.ipv4.ip_forward=1
    nsx "$client" ip addr add "$cip/24" dev eth0
    nsx "$client" ip link set eth0 up
    nsx "$client" ip route add default via "$lan.1"
  done
}

lab_is_up() {
  local ns
  for ns in "${ALL_NS[@]}"; do ns_exists "$ns" || return 1; done
  nsx "$NS_RA" ip link show wan >/dev/null 2>&1 && nsx "$NS_RB" ip link show wan >/dev/null 2>&1
}

down() {
  local ns pids
  for ns in "${ALL_NS[@]}"; do
    ns_exists "$ns" || continue
    # Processes started inside the lab (servers, clients) end with it.
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill $pids 2>/dev/null || true
  done
  for ns in "${ALL_NS[@]}"; do
    ns_exists "$ns" || continue
    for _ in $(seq 1 30); do
      [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
      sleep 0.1
    done
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -f "/run/natlab-$ns.mode"
  done
}

status() {
  local ns
  for ns in "${ALL_NS[@]}"; do
    if ! ns_exists "$ns"; then echo "$ns: absent"; continue; fi
    echo "== $ns: $(nsx "$ns" ip -4 -o addr show | awk '$2!="lo"{printf "%s %s  ", $2, $4}')"
    case "$ns" in
      "$NS_RA"|"$NS_RB")
        echo "   mode: $(cat "/run/natlab-$ns.mode" 2>/dev/null || echo '?')"
        nsx "$ns" nft list table ip natlab 2>/dev/null | sed 's/^/   /'
        nsx "$ns" conntrack -L 2>/dev/null | sed 's/^/   ct: /' ;;
    esac
  done
}

print_env() {
  cat <<EOF
NATLAB_NS_PUB=$NS_PUB
NATLAB_NS_A=$NS_A
NATLAB_NS_B=$NS_B
NATLAB_NS_RA=$NS_RA
NATLAB_NS_RB=$NS_RB
NATLAB_SERVER_IP=$SERVER_IP
NATLAB_SERVER_IP2=$SERVER_IP2
NATLAB_NAT_A_IP=$NAT_A_IP
NATLAB_NAT_B_IP=$NAT_B_IP
NATLAB_CLIENT_A_IP=$CLIENT_A_IP
NATLAB_CLIENT_B_IP=$CLIENT_B_IP
EOF
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up)
    need_root; need_tools
    mode_a=cone; mode_b=cone
    while [ $# -gt 0 ]; do
      case "$1" in
        --a) mode_a="${2:?--a needs a mode}"; shift 2 ;;
        --b) mode_b="${2:?--b needs a mode}"; shift 2 ;;
        *) mode_a="$1"; mode_b="$1"; shift ;;
      esac
    done
    check_mode "$mode_a"; check_mode "$mode_b"
    if ! lab_is_up; then
      down  # whatever half-built state an interrupted run left
      trap 'rc=$?; if [ $rc -ne 0 ]; then log "building the lab failed; removing it"; down; fi' EXIT
      build
    fi
    set_mode "$NS_RA" "$mode_a"
    set_mode "$NS_RB" "$mode_b"
    trap - EXIT
    log "up: A $CLIENT_A_IP behind $NAT_A_IP ($mode_a), B $CLIENT_B_IP behind $NAT_B_IP ($mode_b), servers $SERVER_IP $SERVER_IP2"
    ;;
  mode)
    need_root; need_tools
    [ $# -eq 2 ] || die "usage: nat-lab.sh mode a|b|both MODE"
    lab_is_up || die "the lab is not up (nat-lab.sh up)"
    case "$1" in
      a) set_mode "$NS_RA" "$2" ;; b) set_mode "$NS_RB" "$2" ;;
      both) set_mode "$NS_RA" "$2"; set_mode "$NS_RB" "$2" ;;
      *) die "usage: nat-lab.sh mode a|b|both MODE" ;;
    esac
    ;;
  exec)
    need_root
    [ $# -ge 2 ] || die "usage: nat-lab.sh exec pub|a|b|ra|rb CMD..."
    ns="$(ns_name "$1")"; shift
    ns_exists "$ns" || die "namespace $ns does not exist (nat-lab.sh up)"
    exec ip netns exec "$ns" "$@"
    ;;
  status) need_root; status ;;
  env) print_env ;;
  down) need_root; down; log "down" ;;
  ""|-h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown command '$cmd' (up, mode, exec, status, env, down)" ;;
esac
