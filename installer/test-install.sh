#!/usr/bin/env bash
# The packages as a person installs them, as root on this machine (Debian; no systemd here): see installer/README.md.
#  1. parley-server .deb: the parley user, /var/lib/parley, the conffile, check-config; the unit's ExecStart line run
#     as the parley user; two people register and chat with the installed `parley` CLI; lintian has no error.
#  2. parley .deb (desktop): installed with apt, started under Xvfb on an account with history (screenshot), start-up
#     time read from its log; upgraded to a newer package: the history is still there; purged: nothing of it is
#     left outside the person's data directory, which is kept.
#  3. The .rpm files: rpm -qpl / -qpR.
# Builds the packages first when installer/target/ lacks them (version 0.1.0, and 0.1.1 of the desktop to upgrade to).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ "$(id -u)" -eq 0 ] || { echo "installer/test-install.sh installs packages: run it as root" >&2; exit 1; }
target="$root/installer/target"
arch="$(dpkg --print-architecture)"
v1=0.1.0
v2=0.1.1
[ -f "$target/parley_${v1}_${arch}.deb" ] && [ -f "$target/parley-server_${v1}_${arch}.deb" ] || installer/build.sh --version "$v1"
[ -f "$target/parley_${v2}_${arch}.deb" ] || installer/build.sh --version "$v2" --only deb --packages desktop

need=()
for tool in lintian:lintian Xvfb:xvfb rpm:rpm; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work="$(mktemp -d /tmp/parley-install-test.XXXXXX)"
chmod 0755 "$work"
server_pid=""
xvfb_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq parley parley-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1" >&2; failures=$((failures + 1)); fi
}
install_deb() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>"$work/apt.err" || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; }
}

echo "== lintian"
for deb in "$target/parley_${v1}_${arch}.deb" "$target/parley-server_${v1}_${arch}.deb"; do
  lintian "$deb" > "$work/lintian.txt" 2>&1 || true
  check "lintian: no error in $(basename "$deb")" bash -c "! grep '^E:' '$work/lintian.txt'"
  grep '^E:' "$work/lintian.txt" >&2 || true
done

echo "== server package"
install_deb "$target/parley-server_${v1}_${arch}.deb"
check "the parley system user exists" id parley
check "/var/lib/parley belongs to parley, mode 700" test "$(stat -c '%U %a' /var/lib/parley)" = "parley 700"
check "/etc/parley/parley.toml is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' parley-server | grep -q /etc/parley/parley.toml"
check "/etc/parley/parley.toml is root:parley 640" test "$(stat -c '%U:%G %a' /etc/parley/parley.toml)" = "root:parley 640"
check "parley-server check-config accepts the installed config" \
  bash -c "/usr/bin/parley-server check-config --config /etc/parley/parley.toml | grep -q '^server.data-dir = /var/lib/parley   (file)'"
exec_start="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/parley-server.service)"
check "the unit runs the installed server as parley" test "$exec_start" = "/usr/bin/parley-server serve --config /etc/parley/parley.toml"
# No systemd on these machines: the unit's command line, as its user. Ports moved off the defaults by environment
# (as an operator may) so that a server already running here does not get in the way.
runuser -u parley -- env PARLEY_SERVER_PORT=18080 PARLEY_ADMIN_PORT=18081 PARLEY_TURN_LISTENING_PORT=13478 \
  $exec_start > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do grep -q "listening on" "$work/server.log" && break; sleep 0.5; done
check "the installed server started" grep -q "listening on 127.0.0.1:18080" "$work/server.log"
url=http://127.0.0.1:18080
code() { grep "^$1 " /var/lib/parley/dev-sms.txt | tail -n 1 | cut -d' ' -f2; }
register() { # register DATA_DIR NUMBER
  parley -d "$1" -s "$url" register "$2" >/dev/null && parley -d "$1" verify "$(code "$2")" >/dev/null
}
alice=+15550007001 bob=+15550007002 carol=+15550007003
check "alice registers with the installed CLI" register "$work/alice" "$alice"
check "bob registers" register "$work/bob" "$bob"
check "alice sends bob a message" parley -d "$work/alice" send "$bob" "Hello from the installed packages"
check "bob receives it" bash -c "parley -d '$work/bob' receive --timeout 10 | grep -q 'Hello from the installed packages'"

echo "== desktop package $v1"
install_deb "$target/parley_${v1}_${arch}.deb"
check "installed: /usr/bin/parley-desktop, the menu entry, the icon" test -x /usr/bin/parley-desktop -a \
  -f /usr/share/applications/parley.desktop -a -f /usr/share/icons/hicolor/scalable/apps/parley.svg
check "the menu entry handles parley: links" grep -q '^MimeType=x-scheme-handler/parley;' /usr/share/applications/parley.desktop
home="$work/home"
data="$home/.local/share/parley-desktop"
mkdir -p "$home"
# An account with history in the desktop's default data directory: carol, registered and sent a message to.
check "carol registers into the desktop's data directory" register "$data" "$carol"
check "alice writes to carol" parley -d "$work/alice" send "$carol" "Before the upgrade"
check "carol's history has it" bash -c "parley -d '$data' receive --timeout 10 | grep -q 'Before the upgrade'"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 1 50); do [ -s "$work/display" ] && break; sleep 0.1; done
display=":$(cat "$work/display")"

run_desktop() { # run_desktop NAME [LAUNCHER]: starts the app, waits for the chat list, takes a screenshot, stops it
  local name="$1" launcher="${2:-/usr/bin/parley-desktop}"
  env -i HOME="$home" DISPLAY="$display" PATH=/usr/bin:/bin LANG=C.UTF-8 "$launcher" --server "$url" \
    --data-dir "$data" > "$work/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do grep -q "Chat list shown" "$work/$name.log" && break; sleep 0.5; done
  sleep 2
  DISPLAY="$display" java "$root/installer/tests/Screenshot.java" "$target/$name.png" 2>/dev/null || true
  check "$name: the app showed the chat list ($(grep -o 'shown [0-9]* ms' "$work/$name.log" || echo 'not shown'))" \
    grep -q "Chat list shown" "$work/$name.log"
  kill -TERM "$pid"
  local status=0
  wait "$pid" || status=$?
  check "$name: SIGTERM ends it cleanly (143)" test "$status" -eq 143
  echo "$name: $(grep -o 'shown [0-9]* ms' "$work/$name.log")" >> "$target/startup.txt" || true
}
rm -f "$target/startup.txt"
run_desktop install-test-first-start
check "the first start left its class archive in the data directory" test -s "$data/cds/classes-$v1.jsa"
run_desktop install-test-second-start
# The same account from the source checkout's launcher, for comparison (its own class archive, made on first use).
if [ -f "$root/desktop-app/target/desktop-app-0.1.0-SNAPSHOT.jar" ]; then
  run_desktop checkout-first-start "$root/bin/parley-desktop"
  run_desktop checkout-second-start "$root/bin/parley-desktop"
fi

echo "== desktop upgrade to $v2"
install_deb "$target/parley_${v2}_${arch}.deb"
check "parley $v2 is installed" test "$(dpkg-query -W -f='${Version}' parley)" = "$v2"
run_desktop install-test-upgraded
check "after the upgrade the history is there" bash -c "parley -d '$data' history '$alice' | grep -q 'Before the upgrade'"
check "the new version made its own class archive" test -s "$data/cds/classes-$v2.jsa"

echo "== remove and purge"
dpkg -L parley > "$work/desktop-files.txt"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq parley >/dev/null
check "purge: no file of the desktop package is left" bash -c \
  "! while read -r f; do [ -f \"\$f\" ] && echo \"left: \$f\"; done < '$work/desktop-files.txt' | grep -q left"
check "purge: /usr/lib/parley is gone" test ! -e /usr/lib/parley
check "purge: the person's data directory is kept, with the database" test -d "$data"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq parley-server >/dev/null
check "remove: the server's data stays" test -d /var/lib/parley
check "remove: the config stays (a conffile)" test -f /etc/parley/parley.toml
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq parley-server >/dev/null
check "purge: the server's data and config are gone" test ! -e /var/lib/parley -a ! -e /etc/parley
check "purge: /usr/lib/parley-server is gone" test ! -e /usr/lib/parley-server

echo "== rpm"
for rpmfile in "$target"/parley-"$v1"-1.*.rpm "$target"/parley-server-"$v1"-1.*.rpm; do
  [ -f "$rpmfile" ] || { echo "FAIL missing $rpmfile" >&2; failures=$((failures + 1)); continue; }
  rpm -qpl "$rpmfile" > "$work/rpm-files.txt" 2>/dev/null
  rpm -qpR "$rpmfile" > "$work/rpm-requires.txt" 2>/dev/null
  check "$(basename "$rpmfile"): $(wc -l < "$work/rpm-files.txt") files, requires $(grep -cv rpmlib "$work/rpm-requires.txt") packages" \
    grep -q -e '^/usr/bin/parley-desktop$' -e '^/usr/bin/parley-server$' "$work/rpm-files.txt"
done

echo "== sizes"
ls -l "$target"/*.deb "$target"/*.rpm "$target"/*.tar.gz | awk '{printf "%6.1f MB  %s\n", $5 / 1e6, $NF}'
if [ "$failures" -ne 0 ]; then
  echo "installer/test-install.sh: $failures check(s) FAILED" >&2
  exit 1
fi
echo "installer/test-install.sh: all checks passed"
