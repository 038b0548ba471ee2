#!/usr/bin/env bash
# The NAT lab's self-tests: proves with real STUN/TURN clients that the lab's NATs behave as their names say,
# before any call runs through them. Root only; about 30 s. Exit status non-zero if a check fails.
#
#   scripts/nat-lab/selftest.sh
#
# parley-server (embedded STUN/TURN) runs on 203.0.113.10, a second STUN server (bin/parley-turn) on
# 203.0.113.11, both in the public namespace. Checks:
#   1. coturn's turnutils_stunclient inside each client namespace sees its NAT's public address, not its own;
#   2. cone: one socket gets the same mapping from both servers; symmetric: two different ones (NatProbe mapping,
#      confirmed against the router's conntrack table);
#   3. hole punching between the two clients (NatProbe punch, simultaneous UDP open) works cone-to-cone and fails
#      symmetric-to-symmetric and with UDP between the NATs blocked;
#   4. TURN through the NAT: turnutils_uclient allocates on the embedded TURN server from behind the NAT and
#      relays to turnutils_peer with 0 loss, in the symmetric and the blocked modes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

for tool in turnutils_stunclient turnutils_uclient turnutils_peer; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install coturn (scripts/test-all.sh does)" >&2; exit 1; }
done

build_servers
"$LAB" up cone
start_server
start_second_stun
STUN1="$NATLAB_SERVER_IP:3478"
STUN2="$NATLAB_SERVER_IP2:3478"

# --- 1. the reflexive address is the NAT's ----------------------------------------------------------------
reflexive() { # reflexive a|b: the address turnutils_stunclient reports
  nsrun "$1" timeout 10 turnutils_stunclient "$NATLAB_SERVER_IP" 2>&1 | sed -n 's/.*UDP reflexive addr: \([0-9.]*\):.*/\1/p' | head -1
}
ra="$(reflexive a)"; rb="$(reflexive b)"
check "turnutils_stunclient in A sees NAT A's public address ($ra = $NATLAB_NAT_A_IP)" [ "$ra" = "$NATLAB_NAT_A_IP" ]
check "turnutils_stunclient in B sees NAT B's public address ($rb = $NATLAB_NAT_B_IP)" [ "$rb" = "$NATLAB_NAT_B_IP" ]

# --- 2. mapping behaviour --------------------------------------------------------------------------------
# mappings a: "LOCAL_PORT MAPPED1 MAPPED2" from one socket to both servers
mappings() {
  nsrun "$1" java "$PROBE" mapping "$STUN1" "$STUN2" >"$WORK/map.out" 2>&1 || { cat "$WORK/map.out" >&2; return 1; }
  awk '$1=="mapped"{p=$3; m=m" "$4} END{print p m}' "$WORK/map.out"
}
read -r lport m1 m2 <<<"$(mappings a)"
ok=false; [ -n "$m1" ] && [ "$m1" = "$m2" ] && [ "${m1%:*}" = "$NATLAB_NAT_A_IP" ] && ok=true
check "cone: one socket, two servers, one mapping ($m1 and $m2)" $ok

"$LAB" mode a symmetric
read -r lport m1 m2 <<<"$(mappings a)"
ok=false
[ -n "$m1" ] && [ -n "$m2" ] && [ "$m1" != "$m2" ] && [ "${m1%:*}" = "$NATLAB_NAT_A_IP" ] \
  && [ "${m2%:*}" = "$NATLAB_NAT_A_IP" ] && ok=true
check "symmetric: one socket, two servers, two mappings ($m1 and $m2)" $ok
ct="$(nsrun ra conntrack -L -p udp --orig-src "$NATLAB_CLIENT_A_IP" --orig-port-src "$lport" 2>/dev/null)"
ct_ports() { for s in "$NATLAB_SERVER_IP" "$NATLAB_SERVER_IP2"; do
  grep "dst=$s " <<<"$ct" | sed -n 's/.*dst=[0-9.]* sport=3478 dport=\([0-9]*\).*/\1/p'; done | paste -sd' '; }
check "symmetric: the router's conntrack table holds the same two public ports (${m1#*:} ${m2#*:} = $(ct_ports))" \
  [ "$(ct_ports)" = "${m1#*:} ${m2#*:}" ]

# --- 3. hole punching between the clients ------------------------------------------------------------------
punch() { # punch: both clients punch at once; prints punched (both heard each other), blocked (both ran, learned
          # their mappings, exchanged them and heard nothing) or error
  local d="$WORK/punch.$RANDOM"; mkdir -p "$d"
  nsrun a java "$PROBE" punch --stun "$STUN1" --me "$d/a" --peer "$d/b" --seconds 4 >"$d/a.out" 2>&1 &
  local pa=$!
  nsrun b java "$PROBE" punch --stun "$STUN1" --me "$d/b" --peer "$d/a" --seconds 4 >"$d/b.out" 2>&1 || true
  wait "$pa" || true
  echo "    A: $(paste -sd' ' "$d/a.out")" >&2; echo "    B: $(paste -sd' ' "$d/b.out")" >&2
  local x result=""
  for x in a b; do
    grep -q '^mapped ' "$d/$x.out" && grep -q '^peer ' "$d/$x.out" || { echo error; return; }
    result="$result $(tail -1 "$d/$x.out")"
  done
  case "$result" in " punched punched") echo punched ;; " blocked blocked") echo blocked ;; *) echo error ;; esac
}
"$LAB" mode both cone
check "cone/cone: UDP hole punching between the clients succeeds" [ "$(punch)" = punched ]
"$LAB" mode both symmetric
check "symmetric/symmetric: hole punching fails" [ "$(punch)" = blocked ]
"$LAB" mode both blocked
check "blocked: hole punching fails (UDP between the NATs dropped)" [ "$(punch)" = blocked ]
check "blocked: the STUN server is still reachable" [ "$(reflexive a)" = "$NATLAB_NAT_A_IP" ]

# --- 4. TURN allocation and relaying through the NAT ------------------------------------------------------
nsrun pub turnutils_peer -L "$NATLAB_SERVER_IP2" -p 3480 >"$WORK/peer.log" 2>&1 &
PIDS+=($!)
sleep 0.5
turn_through_nat() { # turn_through_nat MODE
  "$LAB" mode a "$1"
  local out="$WORK/uclient-$1.log"
  nsrun a timeout 60 turnutils_uclient -u alice -W "$TURN_SECRET" -e "$NATLAB_SERVER_IP2" -r 3480 \
    -n 30 -m 2 -l 120 -z 10 "$NATLAB_SERVER_IP" >"$out" 2>&1 || { tail -5 "$out"; return 1; }
  local totals; totals="$(grep -E 'tot_send_msgs=[0-9]+, tot_recv_msgs=[0-9]+$' "$out" | tail -1)"
  echo "    $totals; $(grep -o 'Total lost packets.*' "$out")"
  # the allocation really went through the NAT: the router translated A's flow to the TURN port
  nsrun ra conntrack -L -p udp --orig-src "$NATLAB_CLIENT_A_IP" --orig-dst "$NATLAB_SERVER_IP" --orig-port-dst 3478 \
    2>/dev/null | grep -q "dst=$NATLAB_NAT_A_IP" || { echo "    no NAT entry for the TURN flow"; return 1; }
  grep -q 'Total lost packets 0 ' "$out" && grep -q 'tot_send_msgs=60, tot_recv_msgs=60$' "$out"
}
check "symmetric: turnutils_uclient relays 60/60 messages through TURN from behind the NAT" turn_through_nat symmetric
check "blocked: turnutils_uclient relays 60/60 messages through TURN from behind the NAT" turn_through_nat blocked

summary
