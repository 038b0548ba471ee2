# Shared by the NAT lab's test and benchmark scripts (sourced, not run). Brings the lab up under its own
# namespace prefix (default "nlt", so a lab someone set up by hand under "nl" is left alone), starts the servers
# in the public namespace, counts checks, and removes everything on exit.
# shellcheck shell=bash

NATLAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$NATLAB_DIR/../.." && pwd)"
LAB="$NATLAB_DIR/nat-lab.sh"
PROBE="$NATLAB_DIR/NatProbe.java"
export NATLAB_PREFIX="${NATLAB_PREFIX:-nlt}"
eval "$("$LAB" env)"

[ "$(id -u)" -eq 0 ] || { echo "$(basename "$0"): must run as root (network namespaces, nftables)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/natlab.XXXXXX)"
PIDS=()
PASSES=0
FAILS=0
KEEP_WORK="${NATLAB_KEEP:-0}"

pass() { PASSES=$((PASSES + 1)); echo "PASS  $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL  $*"; }
check() { # check "description" command...: pass if the command succeeds
  local what="$1"; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

natlab_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$LAB" down >/dev/null 2>&1 || true
  if [ "$FAILS" -gt 0 ] || [ "$KEEP_WORK" = 1 ]; then
    echo "logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap natlab_cleanup EXIT
trap 'exit 130' INT TERM

# nsrun NS CMD...: run CMD in namespace pub, a or b.
nsrun() { "$LAB" exec "$@"; }

# wait_for FILE REGEX SECONDS PID: until a line of FILE matches, or the process dies, or time runs out.
wait_for() {
  local file="$1" re="$2" secs="$3" pid="$4" i
  for i in $(seq 1 $((secs * 10))); do
    grep -Eq "$re" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "process $pid ended; its log $file:" >&2; tail -20 "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "timed out after ${secs}s waiting for /$re/ in $file" >&2
  tail -20 "$file" >&2
  return 1
}

# Builds what the scripts run, once, before any clock starts.
build_servers() {
  local jar="$ROOT/signaling-server/target/signaling-server-0.1.0-SNAPSHOT.jar"
  if [ ! -f "$jar" ] || [ ! -d "$ROOT/stun-turn/target/lib" ]; then
    echo "building signaling-server and stun-turn..." >&2
    (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl signaling-server,stun-turn -am package) >&2
  fi
}

# The signaling server with its embedded STUN/TURN on $NATLAB_SERVER_IP (HTTP 8080, STUN/TURN 3478), data in
# $WORK/server; sets SERVER_URL and TURN_SECRET.
start_server() {
  mkdir -p "$WORK/server"
  # exec all the way down (nat-lab.sh, ip netns exec, the launcher): $! is the server's JVM.
  (exec env PARLEY_SERVER_HOST="$NATLAB_SERVER_IP" "$LAB" exec pub "$ROOT/bin/parley-server" serve \
    --data-dir "$WORK/server" >"$WORK/server.log" 2>&1) &
  PIDS+=($!)
  wait_for "$WORK/server.log" "parley-server listening" 60 $! || return 1
  SERVER_URL="http://$NATLAB_SERVER_IP:8080"
  TURN_SECRET="$(cat "$WORK/server/turn-secret")"
}

# A second STUN/TURN server (bin/parley-turn) on $NATLAB_SERVER_IP2:3478, user lab:lab.
start_second_stun() {
  (exec "$LAB" exec pub "$ROOT/bin/parley-turn" --listening-ip "$NATLAB_SERVER_IP2" --user lab:lab --no-tcp \
    >"$WORK/turn2.log" 2>&1) &
  PIDS+=($!)
  wait_for "$WORK/turn2.log" "parley-turn ready" 60 $!
}

# summary: prints the counts and returns non-zero if any check failed.
summary() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
