#!/usr/bin/env bash
# Runs coturn's turnserver and parley-turn one after the other on this machine, on loopback, under the same load,
# and prints the results side by side:
#   1. turnutils_uclient (coturn's own client) relaying through the server to turnutils_peer: messages, loss,
#      round-trip delay and jitter as uclient reports them;
#   2. Binding requests per second (StunLoad binding: closed loop, N sockets x W outstanding requests);
#   3. relayed packets per second at fixed offered rates (StunLoad relay: ChannelData through the relay to an echo
#      peer and back), with loss and round-trip percentiles;
# and the server's CPU use (utime+stime from /proc) during each phase.
# Needs: the coturn package (turnserver, turnutils_uclient, turnutils_peer), Java 17. Nothing is asserted: this is
# a benchmark. Servers run in the foreground of this script (backgrounded with &) and are stopped by pid.
#
# Usage: stun-turn/scripts/bench-vs-coturn.sh [SECONDS] ["RATE ..."]
#   SECONDS  length of each StunLoad phase (default 10)
#   RATE     offered relay rates in packets/s (default "5000 10000 20000 40000")
# Environment: UCLIENT_ARGS (default "-m 100 -n 200 -l 170 -z 5"), BINDING_SOCKETS (4), BINDING_WINDOW (8),
#   RELAY_SESSIONS (10), RELAY_SIZE (160).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_PHASE="${1:-10}"
RATES="${2:-5000 10000 20000 40000}"
UCLIENT_ARGS="${UCLIENT_ARGS:--m 100 -n 200 -l 170 -z 5}"
BINDING_SOCKETS="${BINDING_SOCKETS:-4}"
BINDING_WINDOW="${BINDING_WINDOW:-8}"
RELAY_SESSIONS="${RELAY_SESSIONS:-10}"
RELAY_SIZE="${RELAY_SIZE:-160}"
PORT="${BENCH_PORT:-34780}"
PEER_PORT="${BENCH_PEER_PORT:-34800}"
MIN_PORT=61000   # above Linux's ephemeral range (32768-60999), so client sockets do not collide with relay ports
MAX_PORT=65535

for tool in turnserver turnutils_uclient turnutils_peer java ss; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install coturn; Java 17)" >&2; exit 1; }
done

JAR="$ROOT/stun-turn/target/stun-turn-0.1.0-SNAPSHOT.jar"
if [ ! -f "$JAR" ] || [ ! -d "$ROOT/stun-turn/target/lib" ]; then
  (cd "$ROOT" && ./mvnw -B -ntp -q -f stun-turn/pom.xml package -DskipTests)
fi
CP="$JAR:$ROOT/stun-turn/target/lib/*"

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK="$(getconf CLK_TCK)"
now() { date +%s.%N; }
cpu_pct() { # ticks0 ticks1 t0 t1
  awk -v a="$1" -v b="$2" -v s="$3" -v e="$4" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / (e - s) }'
}

wait_ready() { # until the UDP port is bound (turnutils_stunclient blocks forever when nobody answers)
  for _ in $(seq 1 200); do
    if [ -n "$(ss -Hlun "sport = :$PORT" 2>/dev/null)" ]; then sleep 0.5; return 0; fi
    sleep 0.1
  done
  echo "bench: nothing listening on UDP port $PORT" >&2
  return 1
}

turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" >/dev/null 2>&1 &
PIDS+=("$!")

declare -A R
run_server() { # name
  local name="$1" pid
  if [ "$name" = coturn ]; then
    cat > "$TMP/turnserver.conf" <<CONF
listening-ip=127.0.0.1
listening-port=$PORT
relay-ip=127.0.0.1
min-port=$MIN_PORT
max-port=$MAX_PORT
realm=bench
lt-cred-mech
user=bench:bench
allow-loopback-peers
no-tls
no-dtls
no-cli
no-rfc5780
no-stun-backward-compatibility
log-file=$TMP/turnserver.log
pidfile=$TMP/turnserver.pid
CONF
    turnserver -c "$TMP/turnserver.conf" >"$TMP/coturn.out" 2>&1 &
    pid=$!
    R[coturn,version]="coturn $(turnserver --version 2>/dev/null | tail -1)"
  else
    java -cp "$CP" org.parley.turn.cli.ParleyTurn --listening-ip 127.0.0.1 --listening-port "$PORT" \
      --relay-ip 127.0.0.1 --min-port "$MIN_PORT" --max-port "$MAX_PORT" --realm bench --user bench:bench \
      --allow-loopback-peers >"$TMP/parley.out" 2>&1 &
    pid=$!
    R[parley,version]="parley-turn 0.1.0"
  fi
  PIDS+=("$pid")
  wait_ready

  # warm-up, not measured, the same for both servers (the JVM compiles its hot paths here): a short uclient run
  # (allocations with EVEN-PORT/RESERVATION-TOKEN, channels, refreshes), Binding and relay load
  turnutils_uclient -p "$PORT" -u bench -w bench -e 127.0.0.1 -r "$PEER_PORT" -m 20 -n 100 -l 170 -z 5 127.0.0.1 \
    >/dev/null 2>&1 || true
  java -cp "$CP" org.parley.turn.tools.StunLoad binding "127.0.0.1:$PORT" 3 "$BINDING_SOCKETS" "$BINDING_WINDOW" \
    >/dev/null 2>&1 || true
  java -cp "$CP" org.parley.turn.tools.StunLoad relay "127.0.0.1:$PORT" 3 "$RELAY_SESSIONS" 5000 "$RELAY_SIZE" \
    bench bench >/dev/null 2>&1 || true

  local c0 c1 t0 t1 out
  c0=$(cpu_ticks "$pid"); t0=$(now)
  # shellcheck disable=SC2086
  out="$(turnutils_uclient -p "$PORT" -u bench -w bench -e 127.0.0.1 -r "$PEER_PORT" $UCLIENT_ARGS 127.0.0.1 2>&1 \
    | tail -8)" || true
  c1=$(cpu_ticks "$pid"); t1=$(now)
  R[$name,uc_msgs]="$(echo "$out" | sed -n 's/.*tot_send_msgs=\([0-9]*\), tot_recv_msgs=\([0-9]*\).*/\1 \/ \2/p' | tail -1)"
  R[$name,uc_time]="$(echo "$out" | sed -n 's/.*Total transmit time is \([0-9]*\).*/\1/p')"
  local recv="${R[$name,uc_msgs]##* / }"
  R[$name,uc_pps]="$(awk -v r="${recv:-0}" -v t="${R[$name,uc_time]:-0}" 'BEGIN { if (t > 0) printf "%.0f", r / t; else print "n/a" }')"
  R[$name,uc_loss]="$(echo "$out" | sed -n 's/.*Total lost packets \([0-9]*\) (\([0-9.]*\)%).*/\1 (\2%)/p')"
  R[$name,uc_rtt]="$(echo "$out" | sed -n 's/.*Average round trip delay \([0-9.]*\) ms.*/\1/p')"
  R[$name,uc_jitter]="$(echo "$out" | sed -n 's/.*Average jitter \([0-9.]*\) ms.*/\1/p')"
  R[$name,uc_cpu]="$(cpu_pct "$c0" "$c1" "$t0" "$t1")"

  c0=$(cpu_ticks "$pid"); t0=$(now)
  out="$(java -cp "$CP" org.parley.turn.tools.StunLoad binding "127.0.0.1:$PORT" "$SECONDS_PER_PHASE" \
    "$BINDING_SOCKETS" "$BINDING_WINDOW")"
  c1=$(cpu_ticks "$pid"); t1=$(now)
  R[$name,bind_rps]="$(echo "$out" | sed -n 's/.*responses_per_s=\([0-9]*\).*/\1/p')"
  R[$name,bind_lost]="$(echo "$out" | sed -n 's/.*unanswered_after_1s=\([0-9]*\).*/\1/p')"
  R[$name,bind_cpu]="$(cpu_pct "$c0" "$c1" "$t0" "$t1")"

  for rate in $RATES; do
    c0=$(cpu_ticks "$pid"); t0=$(now)
    out="$(java -cp "$CP" org.parley.turn.tools.StunLoad relay "127.0.0.1:$PORT" "$SECONDS_PER_PHASE" \
      "$RELAY_SESSIONS" "$rate" "$RELAY_SIZE" bench bench 2>&1)" || true
    c1=$(cpu_ticks "$pid"); t1=$(now)
    R[$name,relay_$rate]="$(echo "$out" | sed -n \
      's/.*received_pps=\([0-9]*\) loss_pct=\([0-9.]*\).*rtt_p50_ms=\([0-9.]*\) rtt_p99_ms=\([0-9.]*\).*/\1 pps, loss \2%, rtt p50 \3 \/ p99 \4 ms/p')"
    R[$name,relay_${rate}_drops]="$(echo "$out" | sed -n 's/.*client_kernel_drops=\([-0-9]*\).*/\1/p')"
    [ -n "${R[$name,relay_$rate]}" ] || R[$name,relay_$rate]="failed: $(echo "$out" | grep -m1 -E 'Exception|Error' | cut -c1-90)"
    R[$name,relay_${rate}_cpu]="$(cpu_pct "$c0" "$c1" "$t0" "$t1")"
  done

  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "bench: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1)"
echo "bench: uclient $UCLIENT_ARGS; StunLoad ${SECONDS_PER_PHASE}s phases, binding ${BINDING_SOCKETS}x${BINDING_WINDOW}," \
  "relay ${RELAY_SESSIONS} sessions x ${RELAY_SIZE} B"
run_server coturn
run_server parley

row() { printf '%-44s | %-42s | %-42s\n' "$1" "$2" "$3"; }
echo
row "" "${R[coturn,version]}" "${R[parley,version]}"
row "uclient messages sent / received" "${R[coturn,uc_msgs]}" "${R[parley,uc_msgs]}"
row "uclient transmit time (s)" "${R[coturn,uc_time]}" "${R[parley,uc_time]}"
row "uclient received msgs per second" "${R[coturn,uc_pps]}" "${R[parley,uc_pps]}"
row "uclient lost packets" "${R[coturn,uc_loss]}" "${R[parley,uc_loss]}"
row "uclient avg round trip (ms)" "${R[coturn,uc_rtt]}" "${R[parley,uc_rtt]}"
row "uclient avg jitter (ms)" "${R[coturn,uc_jitter]}" "${R[parley,uc_jitter]}"
row "server CPU during uclient (% of one core)" "${R[coturn,uc_cpu]}" "${R[parley,uc_cpu]}"
row "Binding responses per second" "${R[coturn,bind_rps]}" "${R[parley,bind_rps]}"
row "Binding requests unanswered after 1 s" "${R[coturn,bind_lost]}" "${R[parley,bind_lost]}"
row "server CPU during Binding load (%)" "${R[coturn,bind_cpu]}" "${R[parley,bind_cpu]}"
for rate in $RATES; do
  row "relay offered $rate pps" "${R[coturn,relay_$rate]}" "${R[parley,relay_$rate]}"
  row "  server CPU (%)" "${R[coturn,relay_${rate}_cpu]}" "${R[parley,relay_${rate}_cpu]}"
  row "  of the loss: dropped at the load client" "${R[coturn,relay_${rate}_drops]}" "${R[parley,relay_${rate}_drops]}"
done
