#!/usr/bin/env bash
# A call that loses its network for a while comes back: server and two `parley` CLIs in a private network
# namespace; once connected, all UDP is dropped for DROP_SECONDS (default 15; shorter outages often recover by
# ICE alone, before the caller restarts it), then allowed again. Passes when both sides print `reconnecting` and
# then `connected` again, and the call ends normally. Needs root (ip netns, nft). Prints both sides' event
# lines and the caller's "restarting ICE" log line.
#
#   bench/scripts/call-reconnect.sh [DROP_SECONDS]
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
drop="${1:-15}"
[ "$(id -u)" -eq 0 ] || { echo "call-reconnect.sh: needs root" >&2; exit 2; }
"$root/bin/parley" --help >/dev/null   # build outside the namespace
"$root/bin/parley-server" --help >/dev/null 2>&1 || true
work="$(mktemp -d /tmp/parley-reconnect.XXXXXX)"
ns="parley-reconnect-$$"
ip netns add "$ns"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; ip netns del "$ns" 2>/dev/null; }
trap cleanup EXIT
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link add v0 type veth peer name v1
ip netns exec "$ns" ip addr add 10.78.0.1/24 dev v0
ip netns exec "$ns" ip link set v0 up
ip netns exec "$ns" ip link set v1 up
ip netns exec "$ns" env PARLEY_SERVER_PORT=18481 PARLEY_TURN_LISTENING_PORT=0 \
  "$root/bin/parley-server" serve --data-dir "$work/server" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do grep -q "listening" "$work/server.log" && break; sleep 0.5; done
code() { awk -v n="$1" '$1==n{c=$2} END{print c}' "$work/server/dev-sms.txt"; }
P=(ip netns exec "$ns" "$root/bin/parley")
S=http://127.0.0.1:18481
"${P[@]}" -d "$work/a" -s $S register +15550003333 >/dev/null && "${P[@]}" -d "$work/a" verify "$(code +15550003333)" >/dev/null
"${P[@]}" -d "$work/b" -s $S register +15550004444 >/dev/null && "${P[@]}" -d "$work/b" verify "$(code +15550004444)" >/dev/null
"${P[@]}" -d "$work/b" answer --timeout 30 --seconds 120 --no-stats > "$work/answer.out" 2>"$work/answer.err" &
answer_pid=$!
sleep 3
PARLEY_LOG_LEVEL=INFO "${P[@]}" -d "$work/a" call +15550004444 --seconds $((drop + 12)) --no-stats > "$work/call.out" 2>"$work/call.err" &
call_pid=$!
for _ in $(seq 1 60); do grep -qs "^connected" "$work/call.out" && break; sleep 0.5; done
sleep 3
ip netns exec "$ns" nft -f - <<'NFT'
table inet reconnect {
  chain input {
    type filter hook input priority 0;
    meta l4proto udp drop
  }
}
NFT
echo "$(date +%T) dropping all UDP for ${drop} s"
sleep "$drop"
ip netns exec "$ns" nft delete table inet reconnect
echo "$(date +%T) UDP flows again"
wait "$call_pid"; call_rc=$?
wait "$answer_pid"
echo "--- caller (exit $call_rc)"; cat "$work/call.out"
echo "--- callee"; cat "$work/answer.out"
echo "--- caller's log about the restart"; grep -h "restarting ICE\|peer connection" "$work/call.err" || true
ok=1
for f in "$work/call.out" "$work/answer.out"; do
  awk '/^reconnecting/{r=1} r && /^connected/{c=1} END{exit !(r && c)}' "$f" || ok=0
done
grep -q "reason=local_hangup" "$work/call.out" || ok=0
if [ "$ok" = 1 ]; then echo "PASS: both sides reconnected"; exit 0; fi
echo "FAIL (logs in $work)"; exit 1
