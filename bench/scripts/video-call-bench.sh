#!/usr/bin/env bash
# Video calls between two `parley` processes on loopback (server with its embedded TURN in a third): for each of
# CALLS calls, Bob answers and Alice calls, both sending the test pattern at SIZE and FPS; prints dial → first remote
# frame (Alice's `first_video_frame since_dial_ms`, and since connected), and over the call's steady state — from
# WARMUP s after connecting, for WINDOW s — each process's CPU (user + system from /proc, in % of one core) and the
# sizes and rates libwebrtc reports. No root needed.
#
#   bench/scripts/video-call-bench.sh [CALLS] [SIZE] [FPS] [WINDOW]      # defaults: 3 640x480 30 10
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
calls="${1:-3}"
size="${2:-640x480}"
fps="${3:-30}"
window="${4:-10}"
warmup=5
"$root/bin/parley" --help >/dev/null
"$root/bin/parley-server" --help >/dev/null 2>&1 || true
work="$(mktemp -d /tmp/parley-video-bench.XXXXXX)"
port=$((20000 + RANDOM % 20000))
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; }
trap cleanup EXIT
PARLEY_SERVER_PORT=$port PARLEY_TURN_LISTENING_PORT=0 "$root/bin/parley-server" serve --data-dir "$work/server" \
  > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do grep -q "listening" "$work/server.log" && break; sleep 0.5; done
code() { awk -v n="$1" '$1==n{c=$2} END{print c}' "$work/server/dev-sms.txt"; }
S="http://127.0.0.1:$port"
P="$root/bin/parley"
"$P" -d "$work/a" -s "$S" register +15550005555 >/dev/null && "$P" -d "$work/a" verify "$(code +15550005555)" >/dev/null
"$P" -d "$work/b" -s "$S" register +15550006666 >/dev/null && "$P" -d "$work/b" verify "$(code +15550006666)" >/dev/null
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz="$(getconf CLK_TCK)"
seconds=$((warmup + window + 3))
video=(--video-size "$size" --video-fps "$fps")
for run in $(seq 1 "$calls"); do
  "$P" -d "$work/b" answer --timeout 60 --seconds $((seconds + 5)) --video-source pattern:2 "${video[@]}" \
    > "$work/answer-$run.out" 2>"$work/answer-$run.err" &
  answer_pid=$!
  for _ in $(seq 1 120); do grep -qs "^waiting" "$work/answer-$run.out" && break; sleep 0.5; done
  "$P" -d "$work/a" call +15550006666 --seconds "$seconds" --video-source pattern:1 "${video[@]}" \
    > "$work/call-$run.out" 2>"$work/call-$run.err" &
  call_pid=$!
  for _ in $(seq 1 120); do grep -qs "^connected" "$work/call-$run.out" && break; sleep 0.25; done
  sleep "$warmup"
  a0=$(ticks "$call_pid"); b0=$(ticks "$answer_pid"); t0=$(date +%s.%N)
  sleep "$window"
  a1=$(ticks "$call_pid"); b1=$(ticks "$answer_pid"); t1=$(date +%s.%N)
  wait "$call_pid"; wait "$answer_pid"
  first="$(grep '^first_video_frame' "$work/call-$run.out" | head -1)"
  stats="$(grep '^stats' "$work/call-$run.out" | tail -2 | head -1)"
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
  awk -v a="$((a1 - a0))" -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v run="$run" \
    -v dial="$(field since_dial_ms "$first")" -v conn="$(field since_connected_ms "$first")" \
    -v out="$(field video_out "$stats")" -v in_="$(field video_in "$stats")" -v bps="$(field video_out_bps "$stats")" \
    -v limit="$(field video_limit "$stats")" -v codec="$(field video_codec "$stats")" \
    'BEGIN { s = t1 - t0; printf "call %d: first remote frame %s ms after dialling (%s ms after connected); CPU over %.0f s: caller %.0f %%, callee %.0f %% of one core; caller sends %s (%s, %s bps, limited by %s), receives %s\n", run, dial, conn, s, 100 * a / hz / s, 100 * b / hz / s, out, codec, bps, limit, in_ }'
done
echo "(logs in $work)"
