#!/usr/bin/env bash
# Checks the server's PROXY protocol against a real HAProxy (apt package haproxy): a v1 (send-proxy) and a v2
# (send-proxy-v2) frontend in front of one server; wrong passwords from two loopback networks (127.0.1.5 and
# 127.0.2.5, other /24s than HAProxy's own 127.0.0.1) must be counted apart. Loopback only; stops what it starts.
# Not in CI (it needs haproxy); ProxyProtocolTest covers the same with headers written by hand.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v haproxy >/dev/null || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 2; }
work="$(mktemp -d)"
server_port=18480 v1_port=18481 v2_port=18482 admin_port=18483
cat > "$work/parley.toml" <<TOML
[server]
port = $server_port
data-dir = "$work/data"
proxy-protocol = true
[admin]
port = $admin_port
[turn]
embedded = false
[rate-limits]
failed-logins-per-network = "2/1h"
TOML
cat > "$work/haproxy.cfg" <<CFG
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend v1
    bind 127.0.0.1:$v1_port
    default_backend parley_v1
frontend v2
    bind 127.0.0.1:$v2_port
    default_backend parley_v2
backend parley_v1
    server s1 127.0.0.1:$server_port send-proxy check inter 1s
backend parley_v2
    server s1 127.0.0.1:$server_port send-proxy-v2 check inter 1s
CFG
"$root/bin/parley-server" serve --config "$work/parley.toml" > "$work/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; [ -f "$work/haproxy.pid" ] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null; true' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$admin_port/health" >/dev/null && break; sleep 1; done
haproxy -D -p "$work/haproxy.pid" -f "$work/haproxy.cfg"
sleep 2   # a few health checks (v1 and v2) reach the server
status() { curl -s -o /dev/null -w '%{http_code}' --interface "$1" -u nobody.1:wrong "http://127.0.0.1:$2/v1/accounts/me"; }
got="$(curl -s "http://127.0.0.1:$v1_port/health") $(curl -s "http://127.0.0.1:$v2_port/health")"
a="$(status 127.0.1.5 $v1_port) $(status 127.0.1.5 $v2_port) $(status 127.0.1.5 $v1_port)"
b="$(status 127.0.2.5 $v2_port)"
echo "health through v1 and v2: $got"
echo "127.0.1.5 (v1, v2, v1): $a   127.0.2.5 (v2): $b"
refused="$(curl -s "http://127.0.0.1:$admin_port/metrics" | grep '^parley_proxy_refused_total' || true)"
echo "refused: ${refused:-none}"
if [ "$a" = "401 401 429" ] && [ "$b" = "401" ] && [ -z "$refused" ]; then
  echo "OK"
else
  echo "FAILED (server log: $work/server.log)" >&2
  exit 1
fi
