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
# and each recording's dominant frequency is the other side's tone. Exit status non-zero if anything fails.
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

summary
