#!/usr/bin/env bash
# Audio calls through real NATs (issue #7): Alice in one client namespace, Bob in the other, each behind its own NAT,
# parley-server with its embedded STUN/TURN on the public segment. Root only; about a minute and a half.
#
#   scripts/nat-lab/call-test.sh
#
# Alice and Bob register with bin/parley, exchange a message (signaling works through the NATs), then for each NAT
# setting Bob runs `parley answer` and Alice `parley call`, each playing its own tone and recording the other:
#   cone / cone            the call connects peer to peer: selected pair srflx/prflx on both ends, no relay
#   symmetric / symmetric  hole punching cannot work: the call connects through the TURN relay
#   blocked / blocked      UDP between the NATs dropped, only the server reachable: through the TURN relay
#   cone / cone, --relay-only on both sides: relay to relay, two allocations on the same parley-turn
# and each recording's dominant frequency is the other side's tone. Then a video call (cone / cone, peer to peer):
# each side sends the test pattern with its own id (320x240, 15 fps) and records the other's; VP8 both ways, and
# each y4m recording shows the other side's id (VideoCheck.java). Exit status non-zero if anything fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$NATLAB_DIR/calls-lib.sh"

scenario() { # scenario MODE_A MODE_B NAME EXPECT(p2p|relay|relay-both) [OPTION...]
  if call "$1" "$2" "$3" "${@:5}"; then pass "$3: the call connects and ends cleanly"; else fail "$3: the call connects and ends cleanly"; return; fi
  if [ "$4" = p2p ]; then
    check "$3: peer to peer through both NATs (srflx/prflx pair, no relay)" is_p2p "$3"
  elif [ "$4" = relay-both ]; then
    check "$3: relay candidates on both ends (allocation to allocation on one TURN server)" is_relayed_both_ways "$3"
  else
    check "$3: through the TURN relay (relay candidate selected)" is_relayed "$3"
  fi
  check "$3: Bob hears Alice's $ALICE_HZ Hz tone" hears "$3" bob "$ALICE_HZ"
  check "$3: Alice hears Bob's $BOB_HZ Hz tone" hears "$3" alice "$BOB_HZ"
}

scenario cone cone cone-cone p2p
scenario symmetric symmetric symmetric-symmetric relay
scenario blocked blocked blocked-blocked relay
scenario cone cone relay-only-both relay-both --relay-only

video_call() { # Alice and Bob each send their pattern through the two cone NATs and record the other's
  "$LAB" mode a cone; "$LAB" mode b cone
  local small=(--video-size 320x240 --video-fps 15)
  bob answer --timeout 30 --seconds 30 --video-source pattern:2 "${small[@]}" --record-video "$WORK/video-bob.y4m" \
    >"$WORK/video-bob.out" 2>&1 &
  local bob_pid=$! rc=0
  wait_for "$WORK/video-bob.out" '^waiting ' 60 "$bob_pid" || { kill "$bob_pid" 2>/dev/null; return 1; }
  alice call "$BOB" --seconds 5 --video-source pattern:1 "${small[@]}" --record-video "$WORK/video-alice.y4m" \
    >"$WORK/video-alice.out" 2>&1 || rc=$?
  wait "$bob_pid" || rc=$?
  echo "    Alice: $(grep -m1 '^first_video_frame' "$WORK/video-alice.out"); pair $(pair "$WORK/video-alice.out")"
  [ "$rc" -eq 0 ] || { tail -15 "$WORK/video-alice.out" "$WORK/video-bob.out" | sed 's/^/      /'; }
  return "$rc"
}
vp8_both() { grep -q 'video_codec=video/VP8' "$WORK/video-alice.out" && grep -q 'video_codec=video/VP8' "$WORK/video-bob.out"; }
shows() { # shows FILE ID: the recording carries pattern ID
  local out rc=0
  out="$(java --class-path "$ROOT/client-core/target/classes" "$NATLAB_DIR/VideoCheck.java" "$1" "$2" 2>&1)" || rc=$?
  echo "    $(basename "$1"): $out"
  return "$rc"
}
if video_call; then
  pass "video: the call connects and ends cleanly"
  check "video: peer to peer through both NATs" is_p2p video
  check "video: VP8 both ways" vp8_both
  check "video: Bob's recording shows Alice's pattern (id 1)" shows "$WORK/video-bob.y4m" 1
  check "video: Alice's recording shows Bob's pattern (id 2)" shows "$WORK/video-alice.y4m" 2
else
  fail "video: the call connects and ends cleanly"
fi

summary
