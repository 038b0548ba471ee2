package org.parley.client.internal.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupState;

/** The rules of group state: who may change what, and which of two concurrent states wins (ADR 0140). */
class GroupStatesTest {

  static final String ALICE = "+15550000001";
  static final String BOB = "+15550000002";
  static final String CAROL = "+15550000003";
  static final String DAVE = "+15550000004";

  static GroupMemberState member(String number, boolean admin) {
    return GroupMemberState.newBuilder().setNumber(number).setAccountId("acct-" + number).setAdmin(admin).build();
  }

  static GroupState state(long revision, String name, boolean membersMayEdit, GroupMemberState... members) {
    GroupState.Builder state = GroupState.newBuilder().setGroupId(ByteString.copyFrom(new byte[16])).setName(name)
        .setRevision(revision).setMembersMayEdit(membersMayEdit);
    for (GroupMemberState m : members) {
      state.addMembers(m);
    }
    return GroupStates.canonical(state.build());
  }

  final GroupState base = state(5, "Trip", false, member(ALICE, true), member(BOB, false), member(CAROL, false));

  @Test
  void adminsMayChangeAnythingMembersNothingButLeaving() {
    GroupState withDave = state(6, "Trip", false, member(ALICE, true), member(BOB, false), member(CAROL, false),
        member(DAVE, false));
    assertThat(GroupStates.refusal(base, withDave, ALICE)).isEmpty();
    assertThat(GroupStates.refusal(base, withDave, BOB)).hasValue("only admins may add members");
    assertThat(GroupStates.refusal(base, withDave, DAVE)).hasValue(DAVE + " is not a member of the group");

    GroupState renamed = state(6, "Bob's", false, member(ALICE, true), member(BOB, false), member(CAROL, false));
    assertThat(GroupStates.refusal(base, renamed, BOB)).hasValue("only admins may rename the group");
    GroupState bobLeft = state(6, "Trip", false, member(ALICE, true), member(CAROL, false));
    assertThat(GroupStates.refusal(base, bobLeft, BOB)).isEmpty();
    GroupState carolRemovedByBob = state(6, "Trip", false, member(ALICE, true), member(BOB, false));
    assertThat(GroupStates.refusal(base, carolRemovedByBob, BOB)).hasValue("only admins may remove members");
    GroupState bobMadeAdmin = state(6, "Trip", false, member(ALICE, true), member(BOB, true), member(CAROL, false));
    assertThat(GroupStates.refusal(base, bobMadeAdmin, BOB)).hasValue("only admins may make admins");
  }

  @Test
  void whenEveryoneMayEditMembersAddAndRenameButNotRemoveOrPromote() {
    GroupState open = base.toBuilder().setMembersMayEdit(true).build();
    GroupState withDave = open.toBuilder().setRevision(6).addMembers(member(DAVE, false)).setName("New").build();
    assertThat(GroupStates.refusal(open, withDave, BOB)).isEmpty();
    GroupState withAdminDave = open.toBuilder().setRevision(6).addMembers(member(DAVE, true)).build();
    assertThat(GroupStates.refusal(open, withAdminDave, BOB)).isPresent();
    GroupState closed = open.toBuilder().setRevision(6).setMembersMayEdit(false).build();
    assertThat(GroupStates.refusal(open, closed, BOB)).hasValue("only admins may change who may edit");
  }

  @Test
  void thePictureIsChangedByAdminsOrByEveryoneWhenTheGroupAllowsAndIsASmallImage() {
    AttachmentPointer picture = AttachmentPointer.newBuilder().setId("p1").setContentType("image/jpeg")
        .setSize(40_000).build();
    GroupState withPicture = base.toBuilder().setRevision(6).setPicture(picture).build();
    assertThat(GroupStates.refusal(base, withPicture, ALICE)).isEmpty();
    assertThat(GroupStates.refusal(base, withPicture, BOB)).hasValue("only admins may change the group's picture");
    assertThat(GroupStates.refusal(withPicture, withPicture.toBuilder().setRevision(7).clearPicture().build(), BOB))
        .hasValue("only admins may change the group's picture");
    GroupState open = base.toBuilder().setMembersMayEdit(true).build();
    assertThat(GroupStates.refusal(open, open.toBuilder().setRevision(6).setPicture(picture).build(), BOB)).isEmpty();
    // Leaving cannot smuggle a new picture in.
    GroupState leftWithPicture = GroupStates.canonical(base.toBuilder().setRevision(6).clearMembers()
        .addMembers(member(ALICE, true)).addMembers(member(CAROL, false)).setPicture(picture).build());
    assertThat(GroupStates.refusal(base, leftWithPicture, BOB)).isPresent();
    GroupState huge = base.toBuilder().setRevision(6).setPicture(picture.toBuilder()
        .setSize(GroupStates.MAX_PICTURE_BYTES + 1)).build();
    assertThat(GroupStates.refusal(base, huge, ALICE)).hasValueSatisfying(r -> assertThat(r).contains("at most 5 MiB"));
    GroupState notAnImage = base.toBuilder().setRevision(6).setPicture(picture.toBuilder()
        .setContentType("application/pdf")).build();
    assertThat(GroupStates.refusal(base, notAnImage, ALICE)).isPresent();
  }

  @Test
  void noDemotionsAndAnAdminMustRemainAndTheLastAdminLeavingNamesAnHeir() {
    GroupState aliceDemoted = state(6, "Trip", false, member(ALICE, false), member(BOB, true), member(CAROL, false));
    assertThat(GroupStates.refusal(base, aliceDemoted, ALICE)).hasValue("admins cannot be demoted");
    GroupState noAdmin = state(6, "Trip", false, member(BOB, false), member(CAROL, false));
    assertThat(GroupStates.refusal(base, noAdmin, ALICE)).hasValue("a group with members needs an admin");
    GroupState heir = state(6, "Trip", false, member(BOB, true), member(CAROL, false));
    assertThat(GroupStates.refusal(base, heir, ALICE)).isEmpty();
  }

  @Test
  void aHigherRevisionWinsAndTiesGoTheSameWayWhicheverArrivesFirst() {
    GroupState a = state(6, "A", false, member(ALICE, true), member(BOB, true), member(CAROL, false));
    GroupState b = state(6, "B", false, member(ALICE, true), member(BOB, true), member(CAROL, false));
    assertThat(GroupStates.supersedes(a, base)).isTrue();
    assertThat(GroupStates.supersedes(base, a)).isFalse();
    assertThat(GroupStates.supersedes(a, b)).isNotEqualTo(GroupStates.supersedes(b, a));
    assertThat(GroupStates.supersedes(a, a)).isFalse();
    GroupState reordered = GroupState.newBuilder(a).clearMembers().addMembers(member(CAROL, false))
        .addMembers(member(BOB, true)).addMembers(member(ALICE, true)).build();
    assertThat(GroupStates.supersedes(reordered, a)).as("member order does not matter").isFalse();
    assertThat(GroupStates.supersedes(a, reordered)).isFalse();
  }
}
