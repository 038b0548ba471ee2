#!/usr/bin/env bash
# The single-node default against 1, 2 and 3 signaling servers on PostgreSQL + Redis, directly and through HAProxy,
# in one run (issue #15, ADR 0151): `bin/parley-bench cluster` with a PostgreSQL (Debian's postgresql package, its
# own defaults: fsync on, synchronous_commit on) and a redis-server (no persistence: it holds nothing durable)
# started here for the run on free loopback ports, in a temporary directory, as the user nobody when run as root.
# HAProxy (Debian's haproxy package; installed here with apt-get if missing and allowed) is started by the bench for
# each cluster with a generated minimal config (mode tcp, leastconn). Options go to `bin/parley-bench cluster`:
#
#   bench/scripts/cluster-bench.sh [--nodes 0,1,2,3] [--pairs 100 --window 5 --seconds 15 --rate 20000 --idle 1000]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pg_bin="${PARLEY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$pg_bin/initdb" ] || { echo "cluster-bench.sh: no PostgreSQL (apt-get install postgresql, or set PARLEY_PG_BIN)" >&2; exit 2; }
redis_bin="${PARLEY_REDIS_SERVER:-/usr/bin/redis-server}"
[ -x "$redis_bin" ] || { echo "cluster-bench.sh: no redis-server (apt-get install redis-server)" >&2; exit 2; }
haproxy_bin="$(command -v haproxy || true)"
if [ -z "$haproxy_bin" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -q haproxy >/dev/null 2>&1 || true
  haproxy_bin="$(command -v haproxy || true)"
fi
[ -n "$haproxy_bin" ] || echo "cluster-bench.sh: no haproxy; the runs through HAProxy are left out" >&2

"$root/bin/parley-bench" --help >/dev/null 2>&1 || true   # builds on first use, before the clock matters

dir="$(mktemp -d /tmp/parley-cluster-bench.XXXXXX)"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$dir"
  as_pg=(runuser -u nobody --)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port="$(free_port)"
redis_port="$(free_port)"
redis_pid=""
stop() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  (cd /tmp && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1) || true
  rm -rf "$dir"
}
trap stop EXIT
(cd /tmp && "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U parley --auth=trust -E UTF8 --locale=C >/dev/null)
(cd /tmp && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=200" start >/dev/null)
pg_pid="$(head -1 "$dir/data/postmaster.pid")"
"$redis_bin" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize no \
  --loglevel warning >"$dir/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
  sleep 0.1
done
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') pid $pg_pid port $pg_port; Redis $("$redis_bin" --version | awk '{print $3}') pid $redis_pid port $redis_port; HAProxy ${haproxy_bin:-none}"
haproxy_opt=()
[ -n "$haproxy_bin" ] && haproxy_opt=(--haproxy "$haproxy_bin")
"$root/bin/parley-bench" cluster --postgres-url "jdbc:postgresql://127.0.0.1:$pg_port/" --postgres-pid "$pg_pid" \
  --redis-url "redis://127.0.0.1:$redis_port" --redis-pid "$redis_pid" "${haproxy_opt[@]}" "$@"
