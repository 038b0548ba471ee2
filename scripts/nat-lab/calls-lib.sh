# Shared by call-test.sh and bench-connect.sh (sourced after lib.sh): builds, brings the lab up, starts the server,
# registers Alice (namespace a) and Bob (namespace b), makes their tones, and runs one call.
# shellcheck shell=bash
TONE="$NATLAB_DIR/Tone.java"
PARLEY="$ROOT/bin/parley"
ALICE=+15550001111
BOB=+15550002222
ALICE_HZ=440
BOB_HZ=1000
SECONDS_OF_AUDIO="${NATLAB_CALL_SECONDS:-3}"

build_servers
"$PARLEY" --version >/dev/null  # builds the CLI on first use, outside the lab
"$PARLEY" -d "$WORK/probe" call --help >/dev/null 2>&1 || { echo "bin/parley has no 'call' command" >&2; exit 1; }
"$LAB" up cone
start_server

code() { awk -v n="$1" '$1==n{c=$2} END{print c}' "$WORK/server/dev-sms.txt"; }
alice() { nsrun a "$PARLEY" -d "$WORK/alice" -s "$SERVER_URL" "$@"; }
bob() { nsrun b "$PARLEY" -d "$WORK/bob" -s "$SERVER_URL" "$@"; }

register() { # register alice|bob NUMBER
  "$1" register "$2" >"$WORK/$1-register.log" 2>&1 || { cat "$WORK/$1-register.log"; return 1; }
  "$1" verify "$(code "$2")" >>"$WORK/$1-register.log" 2>&1 || { cat "$WORK/$1-register.log"; return 1; }
}
check "Alice registers from behind NAT A" register alice "$ALICE"
check "Bob registers from behind NAT B" register bob "$BOB"
message_through_nats() {
  alice send "$BOB" "hello through two NATs" >"$WORK/send.log" 2>&1 || { cat "$WORK/send.log"; return 1; }
  bob receive --timeout 2 >"$WORK/receive.log" 2>&1 || { cat "$WORK/receive.log"; return 1; }
  grep -q "hello through two NATs" "$WORK/receive.log"
}
check "a message from Alice reaches Bob (signaling through the NATs)" message_through_nats

java "$TONE" generate "$ALICE_HZ" "$SECONDS_OF_AUDIO" "$WORK/alice-tone.wav"
java "$TONE" generate "$BOB_HZ" "$SECONDS_OF_AUDIO" "$WORK/bob-tone.wav"

# --- what the CLI prints --------------------------------------------------------------------------------------
# (cli/README.md: `connected ... connect_ms=N ice_ms=N local=TYPE remote=TYPE local_address=IP:PORT
# remote_address=IP:PORT`, then a `stats ... local=TYPE remote=TYPE` line every second)
#
# pair FILE: "LOCAL REMOTE" candidate types (host, srflx, prflx, relay) of the selected pair in the call's steady
# state: from the last stats line. The connected line gives the pair at the instant ICE first connected, which on
# the controlled side (the callee) can still be a relay pair that works before the caller's nomination of the
# peer-to-peer pair arrives.
pair() {
  local p
  p="$(sed -n 's/^stats .* local=\([a-z]*\) remote=\([a-z]*\).*/\1 \2/p' "$1" | tail -1)"
  [ -n "$p" ] || p="$(connected_pair "$1")"
  echo "$p"
}
# connected_pair FILE: the pair's types on the connected line
connected_pair() {
  sed -n 's/^connected .* local=\([a-z]*\) remote=\([a-z]*\) .*/\1 \2/p' "$1" | tail -1
}
# remote_ip FILE / local_ip FILE: the IP addresses of the pair on the connected line ("null" where libwebrtc hides a
# prflx address); they describe the steady-state pair only when connected_pair equals pair
remote_ip() {
  sed -n 's/^connected .* remote_address=\([^ :]*\):.*/\1/p' "$1" | tail -1
}
local_ip() {
  sed -n 's/^connected .* local_address=\([^ :]*\):.*/\1/p' "$1" | tail -1
}
# connect_ms FILE: milliseconds from dialing (caller) or answering (callee) to connected
connect_ms() {
  sed -n 's/^connected .* connect_ms=\([0-9]*\) .*/\1/p' "$1" | tail -1
}
# ice_ms FILE: milliseconds from the answer to connected (ICE checks + DTLS)
ice_ms() {
  sed -n 's/^connected .* ice_ms=\([0-9]*\) .*/\1/p' "$1" | tail -1
}

# call MODE_A MODE_B NAME [OPTION...]: one call, Alice calling Bob, both given OPTIONs (e.g. --relay-only); leaves
# $WORK/NAME-{alice,bob}.{out,wav}
call() {
  local name="$3"
  local extra=("${@:4}")
  "$LAB" mode a "$1"; "$LAB" mode b "$2"
  bob answer --timeout 30 --play "$WORK/bob-tone.wav" --record "$WORK/$name-bob.wav" --seconds "$SECONDS_OF_AUDIO" \
    "${extra[@]}" >"$WORK/$name-bob.out" 2>&1 &
  local bob_pid=$!
  wait_for "$WORK/$name-bob.out" '^waiting ' 60 "$bob_pid" || { kill "$bob_pid" 2>/dev/null; return 1; }
  local rc=0
  alice call "$BOB" --play "$WORK/alice-tone.wav" --record "$WORK/$name-alice.wav" --seconds "$SECONDS_OF_AUDIO" \
    "${extra[@]}" >"$WORK/$name-alice.out" 2>&1 || rc=$?
  wait "$bob_pid" || rc=$?
  echo "    Alice: pair $(pair "$WORK/$name-alice.out") (at connect: $(connected_pair "$WORK/$name-alice.out")," \
    "$(connect_ms "$WORK/$name-alice.out") ms); Bob: pair $(pair "$WORK/$name-bob.out")" \
    "(at connect: $(connected_pair "$WORK/$name-bob.out"))"
  if [ "$rc" -ne 0 ]; then
    echo "    a call command failed ($rc); Alice:"; tail -15 "$WORK/$name-alice.out" | sed 's/^/      /'
    echo "    Bob:"; tail -15 "$WORK/$name-bob.out" | sed 's/^/      /'
  fi
  return "$rc"
}
is_p2p() { # is_p2p NAME: on both ends the steady-state pair has no relay candidate and the remote one is the peer's
          # public mapping (srflx, or prflx when learned from its check); where the connected line shows that
          # same pair, its remote address is the peer's NAT (or hidden: "null")
  local who f t ip peer_nat
  for who in alice bob; do
    f="$WORK/$1-$who.out"
    if [ "$who" = alice ]; then peer_nat="$NATLAB_NAT_B_IP"; else peer_nat="$NATLAB_NAT_A_IP"; fi
    read -r -a t <<<"$(pair "$f")"
    [ "${#t[@]}" -eq 2 ] || return 1
    case "${t[0]}" in host|srflx|prflx) ;; *) return 1 ;; esac
    case "${t[1]}" in srflx|prflx) ;; *) return 1 ;; esac
    if [ "$(connected_pair "$f")" = "$(pair "$f")" ]; then
      ip="$(remote_ip "$f")"
      [ "$ip" = "$peer_nat" ] || [ "$ip" = null ] || { echo "    $who's remote address $ip is not $peer_nat"; return 1; }
    fi
  done
}
is_relayed() { # is_relayed NAME: on both ends one candidate of the steady-state pair is a relay candidate (on the
               # TURN server's address, where the connected line shows the same pair)
  local who f p
  for who in alice bob; do
    f="$WORK/$1-$who.out"
    p="$(pair "$f")"
    case "$p" in "relay "*|*" relay") ;; *) return 1 ;; esac
    if [ "$(connected_pair "$f")" = "$p" ]; then
      case "$p" in
        "relay "*) [ "$(local_ip "$f")" = "$NATLAB_SERVER_IP" ] || return 1 ;;
        *) [ "$(remote_ip "$f")" = "$NATLAB_SERVER_IP" ] || return 1 ;;
      esac
    fi
  done
}
is_relayed_both_ways() { # is_relayed_both_ways NAME: both ends relay through their own allocation to the other's
  local who
  for who in alice bob; do
    [ "$(pair "$WORK/$1-$who.out")" = "relay relay" ] || return 1
  done
}
hears() { # hears NAME WHO HZ: WHO's recording holds the other side's tone
  echo "    $2 recorded: $(java "$TONE" analyze "$WORK/$1-$2.wav" 2>&1)"
  java "$TONE" expect "$WORK/$1-$2.wav" "$3" >/dev/null
}

