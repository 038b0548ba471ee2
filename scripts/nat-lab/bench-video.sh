#!/usr/bin/env bash
# Video calls through the NAT lab under impairment (issue #18): Alice (namespace a) and Bob (namespace b), each
# behind a cone NAT, call peer to peer, both sending the test pattern at 640x480, 30 fps, while NAT A's router
# (through which every packet of the call passes once each way) impairs the path:
#   clean      nothing
#   loss-5     drops 5 % of forwarded UDP packets, each direction (nftables: numgen random mod 100 < 5 drop)
#   loss-20    drops 20 %
#   cap-1mbit  shapes each direction to 1 Mbit/s (tc tbf on the router's WAN and LAN sides, 150 ms of queue)
# each with two kinds of picture: "pattern", the plain test pattern (mostly still: ~110 kbit/s of VP8, like a
# shared slide), and "noisy", the pattern with fresh luma noise over its upper two thirds in every frame (a y4m clip
# made by VideoClip.java: like a camera in poor light, it takes all the bitrate it can get).
# For each: the frame rate and size each side decodes and sends (libwebrtc's stats, the median of the call's last
# WINDOW seconds), the bitrate, the loss seen, and what limits the sender; plus CPU per side and the load average.
# No sch_netem on these machines (DEVELOPERS.md). A benchmark, not a test: it fails only if a call fails. Root only.
#
#   scripts/nat-lab/bench-video.sh [SECONDS (default 25)] [WINDOW (default 10)] [SCENARIO...]
# PICTURES="pattern noisy" (default both) chooses the pictures.
set -euo pipefail
CALL_SECONDS="${1:-25}"
WINDOW="${2:-10}"
SCENARIOS=(clean loss-5 loss-20 cap-1mbit)
if [ $# -gt 2 ]; then SCENARIOS=("${@:3}"); fi
export NATLAB_CALL_SECONDS=1
source "$(dirname "$0")/lib.sh"
source "$NATLAB_DIR/calls-lib.sh"

router() { nsrun ra "$@"; }

impair() { # impair SCENARIO: sets NAT A's router up for SCENARIO (after clearing whatever was there)
  router nft delete table ip impair 2>/dev/null || true
  router tc qdisc del dev wan root 2>/dev/null || true
  router tc qdisc del dev lan root 2>/dev/null || true
  case "$1" in
    clean) ;;
    loss-*)
      router nft -f - <<NFT
table ip impair {
  chain forward {
    type filter hook forward priority 10; policy accept;
    meta l4proto udp numgen random mod 100 < ${1#loss-} counter drop
  }
}
NFT
      ;;
    cap-*)
      local rate="${1#cap-}"
      router tc qdisc add dev wan root tbf rate "$rate" burst 20k latency 150ms
      router tc qdisc add dev lan root tbf rate "$rate" burst 20k latency 150ms
      ;;
    *) echo "unknown scenario $1 (clean, loss-N, cap-RATE e.g. cap-1mbit)" >&2; return 1 ;;
  esac
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
HZ="$(getconf CLK_TCK)"
median() { sort -n | awk '{v[NR]=$1} END{if (NR==0) {print "n/a"} else if (NR%2) {print v[(NR+1)/2]} else {print (v[NR/2]+v[NR/2+1])/2}}'; }
mode_of() { sort | uniq -c | sort -rn | awk 'NR==1{print $2}'; }
# field NAME FILE: the values of NAME on the last WINDOW stats lines of FILE
field() { grep '^stats ' "$2" | tail -n "$WINDOW" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
fps_of() { sed 's/.*@//'; }
size_of() { sed 's/@.*//'; }

describe() { # describe WHO FILE CPU%
  local f="$2"
  printf '  %-5s receives %s @ %s fps (median; sizes seen: %s), sends %s @ %s fps, video %s kbit/s out, loss seen %s, limited by %s; CPU %s %% of a core\n' \
    "$1" "$(field video_in "$f" | size_of | mode_of)" "$(field video_in "$f" | fps_of | median)" \
    "$(field video_in "$f" | size_of | sort -u | tr '\n' ' ' | sed 's/ $//')" \
    "$(field video_out "$f" | size_of | mode_of)" "$(field video_out "$f" | fps_of | median)" \
    "$(field video_out_bps "$f" | median | awk '{printf "%.0f", $1 / 1000}')" \
    "$(field video_loss "$f" | tail -1)" "$(field video_limit "$f" | mode_of)" "$3"
}

# source PICTURE ID: the --video-source options for one side
source_of() {
  if [ "$1" = noisy ]; then echo "--video-source $WORK/noisy-$2.y4m"; else echo "--video-source pattern:$2 --video-size 640x480 --video-fps 30"; fi
}

run() { # run SCENARIO PICTURE
  local name="video-$1-$2" rc=0 a0 b0 a1 b1 t0 t1 bob_pid alice_pid
  impair "$1"
  # shellcheck disable=SC2046
  bob answer --timeout 60 --seconds $((CALL_SECONDS + 30)) $(source_of "$2" 2) >"$WORK/$name-bob.out" 2>&1 &
  bob_pid=$!
  wait_for "$WORK/$name-bob.out" '^waiting ' 60 "$bob_pid" || { kill "$bob_pid" 2>/dev/null; return 1; }
  # shellcheck disable=SC2046
  alice call "$BOB" --seconds "$CALL_SECONDS" $(source_of "$2" 1) >"$WORK/$name-alice.out" 2>&1 &
  alice_pid=$!
  wait_for "$WORK/$name-alice.out" '^connected ' 60 "$alice_pid" || { kill "$alice_pid" "$bob_pid" 2>/dev/null; return 1; }
  sleep $((CALL_SECONDS - WINDOW))
  # The JVMs are the children of `ip netns exec`: measure them, not the wrappers.
  local ja jb
  ja="$(pgrep -P "$alice_pid" -f java | head -1)"; ja="${ja:-$alice_pid}"
  jb="$(pgrep -P "$bob_pid" -f java | head -1)"; jb="${jb:-$bob_pid}"
  a0=$(ticks "$ja"); b0=$(ticks "$jb"); t0=$(date +%s.%N)
  sleep $((WINDOW - 1))
  a1=$(ticks "$ja"); b1=$(ticks "$jb"); t1=$(date +%s.%N)
  wait "$alice_pid" || rc=$?
  wait "$bob_pid" || rc=$?
  impair clean
  local cpu_a cpu_b
  cpu_a="$(awk -v d=$((a1 - a0)) -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN{printf "%.0f", 100 * d / hz / (t1 - t0)}')"
  cpu_b="$(awk -v d=$((b1 - b0)) -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN{printf "%.0f", 100 * d / hz / (t1 - t0)}')"
  if [ "$rc" -ne 0 ]; then
    fail "$1 $2: the call failed ($rc)"; tail -5 "$WORK/$name-alice.out" "$WORK/$name-bob.out"; return 0
  fi
  echo "$1, $2 (pair $(pair "$WORK/$name-alice.out"), codec $(field video_codec "$WORK/$name-alice.out" | tail -1)):"
  describe Alice "$WORK/$name-alice.out" "$cpu_a"
  describe Bob "$WORK/$name-bob.out" "$cpu_b"
  pass "$1 $2: the call ran"
}

"$LAB" mode a cone; "$LAB" mode b cone
read -r -a PICTURE_KINDS <<<"${PICTURES:-pattern noisy}"
for id in 1 2; do  # 2 s of noisy 640x480 at 30 fps, looped by the sender
  java --class-path "$ROOT/client-core/target/classes" "$NATLAB_DIR/VideoClip.java" "$WORK/noisy-$id.y4m" 640 480 30 60 "$id" 24
done
echo "video 640x480@30 both ways through two cone NATs, peer to peer; impairment on NAT A's router;" \
  "medians of the last $WINDOW s of $CALL_SECONDS s calls ($(date -u +%F), $(nproc) CPUs, load average at start $(cut -d' ' -f1-3 /proc/loadavg))"
for s in "${SCENARIOS[@]}"; do
  for picture in "${PICTURE_KINDS[@]}"; do run "$s" "$picture"; done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
summary
