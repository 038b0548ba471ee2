#!/usr/bin/env bash
# Messages/s through the server on its two storage backends, one after the other in one run (ADR 0150):
#   1. the default: embedded H2 and the log queue;
#   2. storage.backend = postgres: accounts, keys and the message queue in a PostgreSQL server started here for the
#      run (Debian's postgresql package; a throwaway cluster in a temporary directory on a free loopback port, as
#      the user nobody when run as root), with PostgreSQL's own defaults: fsync on, synchronous_commit on.
# Prints each run's last line, then both side by side. Options go to `bin/parley-bench throughput`:
#
#   bench/scripts/storage-throughput.sh [--pairs 200 --window 5 --seconds 30]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pg_bin="${PARLEY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$pg_bin/initdb" ] || { echo "storage-throughput.sh: no PostgreSQL (apt-get install postgresql, or set PARLEY_PG_BIN)" >&2; exit 2; }

"$root/bin/parley-bench" --help >/dev/null 2>&1 || true   # builds on first use, before the clock matters

dir="$(mktemp -d /tmp/parley-bench-pg.XXXXXX)"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$dir"
  as_pg=(runuser -u nobody --)
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() {
  (cd /tmp && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1) || true
  rm -rf "$dir"
}
trap stop EXIT
(cd /tmp && "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U parley --auth=trust -E UTF8 --locale=C >/dev/null)
(cd /tmp && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=100" start >/dev/null)
"$pg_bin/psql" -h 127.0.0.1 -p "$port" -U parley -d postgres -qc "CREATE DATABASE parley"

echo "== H2 + log queue (default)"
h2_line="$("$root/bin/parley-bench" throughput "$@" | tee /dev/stderr | tail -1)"
# PostgreSQL's own CPU (its processes are not the server's): the postmaster's time plus that of its children,
# which the backends of the closed connections are by the end of the run.
pg_cpu_seconds() {
  local pid; pid="$(head -1 "$dir/data/postmaster.pid")"
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$pid/stat"
}
echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (fsync on, synchronous_commit on)"
cpu_before="$(pg_cpu_seconds)"; start="$(date +%s.%N)"
pg_line="$(PARLEY_STORAGE_BACKEND=postgres PARLEY_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/parley" \
  PARLEY_DATABASE_USER=parley "$root/bin/parley-bench" throughput "$@" | tee /dev/stderr | tail -1)"
sleep 1   # the server has exited; let the postmaster reap its backends
pg_cpu="$(awk -v a="$cpu_before" -v b="$(pg_cpu_seconds)" -v t0="$start" -v t1="$(date +%s.%N)" \
  'BEGIN { printf "%.1f CPU seconds in %.0f s (%.2f cores on average, registration and warm-up included)", b - a, t1 - t0, (b - a) / (t1 - t0) }')"
echo
echo "H2 + log queue: $h2_line"
echo "PostgreSQL:     $pg_line"
echo "PostgreSQL's own processes: $pg_cpu"
