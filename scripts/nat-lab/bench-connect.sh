#!/usr/bin/env bash
# Dial → connected time of a call through the NAT lab, peer to peer (cone NATs) and relayed (symmetric NATs): RUNS
# calls of each (default 5), each with fresh `parley call`/`parley answer` processes; prints every run and the median.
# The time is the one the caller's CLI reports, connect_ms: from placing the call (ICE servers fetched, offer
# encrypted and sent, the callee's client answering) to ICE+DTLS connected, so JVM start-up is not in it; ice_ms
# is the part after the answer arrived. Each call runs in fresh JVMs (the CLI), so these are cold-start figures. Root only. A benchmark, not a test: it asserts only that the calls connect the expected way.
#
#   scripts/nat-lab/bench-connect.sh [RUNS]
set -euo pipefail
RUNS="${1:-5}"
export NATLAB_CALL_SECONDS="${NATLAB_CALL_SECONDS:-2}"  # two stats lines: the steady-state pair
source "$(dirname "$0")/lib.sh"
source "$NATLAB_DIR/calls-lib.sh"

median() { sort -n | awk '{v[NR]=$1} END{if (NR==0) {print "n/a"} else if (NR%2) {print v[(NR+1)/2]} else {print (v[NR/2]+v[NR/2+1])/2}}'; }

declare -A RESULTS
for kind in p2p relay; do
  if [ "$kind" = p2p ]; then mode=cone; else mode=symmetric; fi
  times=(); ices=(); callee=()
  for i in $(seq 1 "$RUNS"); do
    name="bench-$kind-$i"
    if ! call "$mode" "$mode" "$name" >/dev/null; then fail "$name: call failed"; continue; fi
    if [ "$kind" = p2p ] && ! is_p2p "$name"; then fail "$name: not peer to peer ($(pair "$WORK/$name-alice.out"))"; continue; fi
    if [ "$kind" = relay ] && ! is_relayed "$name"; then fail "$name: not relayed ($(pair "$WORK/$name-alice.out"))"; continue; fi
    ms="$(connect_ms "$WORK/$name-alice.out")"; ice="$(ice_ms "$WORK/$name-alice.out")"
    bob_ms="$(connect_ms "$WORK/$name-bob.out")"
    echo "$kind run $i: connect $ms ms, ice $ice ms, callee answer->connected $bob_ms ms (pair $(pair "$WORK/$name-alice.out"))"
    times+=("$ms"); ices+=("$ice"); callee+=("$bob_ms")
  done
  RESULTS[$kind]="connect median $(printf '%s\n' "${times[@]}" | median) ms (runs: ${times[*]}), ICE+DTLS median $(printf '%s\n' "${ices[@]}" | median) ms (runs: ${ices[*]}), callee answer->connected median $(printf '%s\n' "${callee[@]}" | median) ms"
done

echo
echo "dial -> connected through the NAT lab ($(date -u +%F), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  peer to peer (cone NATs, srflx):  ${RESULTS[p2p]}"
echo "  relayed (symmetric NATs, TURN):   ${RESULTS[relay]}"
summary
