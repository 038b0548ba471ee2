package org.parley.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Presence;
import org.parley.client.api.Typing;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;

/** Collects every event a client fires. */
public final class Recorder implements ParleyListener {
  public final List<Message> received = new CopyOnWriteArrayList<>();
  public final List<Message> statuses = new CopyOnWriteArrayList<>();
  public final List<Typing> typing = new CopyOnWriteArrayList<>();
  public final List<Presence> presence = new CopyOnWriteArrayList<>();
  public final List<IdentityChange> identities = new CopyOnWriteArrayList<>();
  public final List<String> connections = new CopyOnWriteArrayList<>();
  public final List<DeviceRevoked> revocations = new CopyOnWriteArrayList<>();
  /** "number:count" per conversationRead. */
  public final List<String> reads = new CopyOnWriteArrayList<>();
  public final List<GroupMessage> groupMessages = new CopyOnWriteArrayList<>();
  public final List<GroupMessage> groupStatuses = new CopyOnWriteArrayList<>();
  public final List<GroupMessageInfo> groupMessageInfos = new CopyOnWriteArrayList<>();
  public final List<GroupEvent> groupEvents = new CopyOnWriteArrayList<>();
  /** The group as each {@code groupChanged} left it. */
  public final List<GroupInfo> groupStates = new CopyOnWriteArrayList<>();
  public final List<GroupTyping> groupTyping = new CopyOnWriteArrayList<>();
  public final List<GroupProblem> groupProblems = new CopyOnWriteArrayList<>();
  public final List<SenderKeyProblem> senderKeyProblems = new CopyOnWriteArrayList<>();

  @Override
  public void conversationRead(String number, int count) {
    reads.add(number + ":" + count);
  }

  @Override
  public void messageReceived(Message message) {
    received.add(message);
  }

  @Override
  public void statusChanged(Message message) {
    statuses.add(message);
  }

  @Override
  public void typing(Typing t) {
    typing.add(t);
  }

  @Override
  public void presence(Presence p) {
    presence.add(p);
  }

  @Override
  public void identityChanged(IdentityChange change) {
    identities.add(change);
  }

  @Override
  public void connection(boolean connected, String reason) {
    connections.add(connected + " " + reason);
  }

  @Override
  public void deviceRevoked(DeviceRevoked revoked) {
    revocations.add(revoked);
  }

  @Override
  public void groupMessageReceived(GroupMessage message) {
    groupMessages.add(message);
  }

  @Override
  public void groupStatusChanged(GroupMessage message) {
    groupStatuses.add(message);
  }

  @Override
  public void groupMessageInfoChanged(GroupMessageInfo info) {
    groupMessageInfos.add(info);
  }

  @Override
  public void groupChanged(GroupInfo group, GroupEvent event) {
    groupStates.add(group);
    groupEvents.add(event);
  }

  @Override
  public void groupTyping(GroupTyping t) {
    groupTyping.add(t);
  }

  @Override
  public void groupProblem(GroupProblem problem) {
    groupProblems.add(problem);
  }

  @Override
  public void senderKeyProblem(SenderKeyProblem problem) {
    senderKeyProblems.add(problem);
  }
}
