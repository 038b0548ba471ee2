package org.parley.client.internal;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.Contact;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.LinkProgress;
import org.parley.client.api.LinkResult;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.Message;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Presence;
import org.parley.client.api.SafetyNumber;
import org.parley.client.api.SearchResult;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.calls.CallManager;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.QrCode;
import org.parley.client.api.payments.Vpa;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.connection.Connection;
import org.parley.client.internal.connection.QueueEmptyHandler;
import org.parley.client.internal.connection.Revocation;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.groups.GroupService;
import org.parley.client.internal.identity.SafetyNumberService;
import org.parley.client.internal.linking.Linking;
import org.parley.client.internal.location.LocationSharing;
import org.parley.client.internal.media.MediaService;
import org.parley.client.internal.messaging.HistoryService;
import org.parley.client.internal.messaging.MessagingService;
import org.parley.client.internal.payments.PaymentRequests;
import org.parley.client.internal.payments.UpiQrCodes;
import org.parley.client.internal.presence.PresenceService;

/** {@link ParleyClient}, each method handed to the service that owns it; input is checked there. */
final class ClientFacade implements ParleyClient {

  private final AccountService accounts;
  private final Linking linking;
  private final Connection connection;
  private final QueueEmptyHandler queueEmpty;
  private final Revocation revocation;
  private final MessagingService messaging;
  private final HistoryService history;
  private final PresenceService presence;
  private final SafetyNumberService safetyNumbers;
  private final DefaultCallManager calls;
  private final MediaService media;
  private final Events events;
  private final Runnable close;
  private final LocationSharing locations;
  private final PaymentRequests payments;
  private final GroupService groups;

  ClientFacade(AccountService accounts, Linking linking, Connection connection, QueueEmptyHandler queueEmpty,
      Revocation revocation, MessagingService messaging, HistoryService history, PresenceService presence,
      SafetyNumberService safetyNumbers, DefaultCallManager calls, MediaService media, Events events,
      Runnable close, LocationSharing locations, PaymentRequests payments, GroupService groups) {
    this.groups = groups;
    this.locations = locations;
    this.payments = payments;
    this.media = media;
    this.accounts = accounts;
    this.linking = linking;
    this.connection = connection;
    this.queueEmpty = queueEmpty;
    this.revocation = revocation;
    this.messaging = messaging;
    this.history = history;
    this.presence = presence;
    this.safetyNumbers = safetyNumbers;
    this.calls = calls;
    this.events = events;
    this.close = close;
  }

  @Override
  public AccountInfo account() throws NotRegisteredException {
    return accounts.account();
  }

  @Override
  public void requestCode(String number) throws ParleyException {
    accounts.requestCode(number);
  }

  @Override
  public AccountInfo verify(String code) throws ParleyException {
    return accounts.verify(code, null);
  }

  @Override
  public AccountInfo verify(String code, String pin) throws ParleyException {
    return accounts.verify(code, pin);
  }

  @Override
  public void setRegistrationLock(String pin) throws ParleyException {
    accounts.setRegistrationLock(pin);
  }

  @Override
  public void removeRegistrationLock() throws ParleyException {
    accounts.removeRegistrationLock();
  }

  @Override
  public boolean registrationLockSet() throws ParleyException {
    return accounts.registrationLockSet();
  }

  @Override
  public LinkResult link(String deviceName, LinkProgress progress, Duration timeout) throws ParleyException,
      InterruptedException {
    return linking.link(deviceName, progress, timeout);
  }

  @Override
  public LinkedDevice addDevice(String linkUri, String profileName) throws ParleyException, InterruptedException {
    LinkedDevice added = linking.addDevice(linkUri, profileName);
    groups.syncToOwnDevices();
    return added;
  }

  @Override
  public List<LinkedDevice> devices() throws ParleyException {
    return linking.devices();
  }

  @Override
  public void unlink(int deviceId) throws ParleyException {
    linking.unlink(deviceId);
  }

  @Override
  public Optional<DeviceRevoked> revoked() {
    return revocation.revoked();
  }

  @Override
  public void connect() throws ParleyException {
    connection.connect();
    media.connected();
    groups.start();
  }

  @Override
  public boolean awaitQueueDrained(Duration timeout) throws InterruptedException {
    return queueEmpty.await(timeout);
  }

  @Override
  public boolean awaitOutboxEmpty(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    return groups.awaitOutboxEmpty(timeout)
        && messaging.awaitOutboxEmpty(timeout.minusNanos(System.nanoTime() - start));
  }

  @Override
  public Message send(String number, String text) throws ParleyException {
    return messaging.send(number, text);
  }

  @Override
  public List<Message> sendAll(List<OutgoingText> texts) throws ParleyException {
    return messaging.sendAll(texts);
  }

  @Override
  public Message sendVoiceNote(String number, Path wav) throws ParleyException {
    return messaging.sendVoiceNote(number, wav);
  }

  @Override
  public VoiceNoteAudio decodeVoiceNote(long attachmentId) throws ParleyException {
    return media.decodeVoiceNote(attachmentId);
  }

  @Override
  public Message sendLocation(String number, Location location) throws ParleyException {
    return locations.send(number, location);
  }

  @Override
  public Message requestPayment(String number, InrAmount amount, Vpa payee, String payeeName, Optional<String> note)
      throws ParleyException {
    return payments.request(number, amount, payee, payeeName, note);
  }

  @Override
  public PaymentRequestEntry updatePayment(PaymentRequestId requestId, PaymentStatus status) throws ParleyException {
    return payments.update(requestId, status);
  }

  @Override
  public QrCode paymentQrCode(PaymentRequest request) {
    return UpiQrCodes.of(request);
  }

  @Override
  public PaymentRequestEntry payment(PaymentRequestId requestId) throws ParleyException {
    return payments.entry(requestId);
  }

  @Override
  public Message send(String number, String text, List<OutgoingAttachment> attachments) throws ParleyException {
    return messaging.send(number, text, attachments);
  }

  @Override
  public Attachment attachment(long attachmentId) throws ParleyException {
    return media.attachment(attachmentId);
  }

  @Override
  public void download(long attachmentId) throws ParleyException {
    media.download(attachmentId);
  }

  @Override
  public Attachment awaitDownload(long attachmentId, Duration timeout) throws ParleyException, InterruptedException {
    return media.awaitDownload(attachmentId, timeout);
  }

  @Override
  public void cancelTransfer(long attachmentId) throws ParleyException {
    media.cancelTransfer(attachmentId);
  }

  @Override
  public void retryTransfer(long attachmentId) throws ParleyException {
    media.retryTransfer(attachmentId);
  }

  @Override
  public InputStream openAttachment(long attachmentId) throws ParleyException {
    return media.openAttachment(attachmentId);
  }

  @Override
  public Path saveAttachment(long attachmentId, Path directory) throws ParleyException {
    return media.saveAttachment(attachmentId, directory);
  }

  @Override
  public void setAutoDownloadLimit(long bytes) throws ParleyException {
    media.setAutoDownloadLimit(bytes);
  }

  @Override
  public void deleteMessage(long messageId) throws ParleyException {
    media.deleteMessage(messageId);
  }

  @Override
  public void deleteConversation(String number) throws ParleyException {
    media.deleteConversation(number);
  }

  @Override
  public void sendTyping(String number, boolean started) throws ParleyException {
    messaging.sendTyping(number, started);
  }

  @Override
  public Presence presence(String number) throws ParleyException {
    return presence.presence(number);
  }

  @Override
  public List<Message> history(String number, int limit) throws ParleyException {
    return history.history(number, limit);
  }

  @Override
  public List<Message> history(String number, long beforeMessageId, int limit) throws ParleyException {
    return history.history(number, beforeMessageId, limit);
  }

  @Override
  public List<Message> search(String query, int limit) throws ParleyException {
    return history.search(query, limit);
  }

  @Override
  public List<SearchResult> searchAll(String query, int limit) throws ParleyException {
    // Each side gives its newest `limit`; merged by time, the newest `limit` of both are among them.
    List<SearchResult> all = new ArrayList<>();
    history.search(query, limit).forEach(m -> all.add(new SearchResult.Direct(m)));
    all.addAll(groups.search(query, limit));
    all.sort(Comparator.comparingLong(SearchResult::timestamp).reversed());
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
  }

  @Override
  public List<Contact> contacts() throws ParleyException {
    return history.contacts();
  }

  @Override
  public GroupInfo createGroup(String name, List<String> memberNumbers) throws ParleyException {
    return groups.create(name, memberNumbers);
  }

  @Override
  public GroupInfo addGroupMembers(GroupId groupId, List<String> numbers) throws ParleyException {
    return groups.addMembers(groupId, numbers);
  }

  @Override
  public GroupInfo removeGroupMember(GroupId groupId, String number) throws ParleyException {
    return groups.removeMember(groupId, number);
  }

  @Override
  public GroupInfo promoteGroupMember(GroupId groupId, String number) throws ParleyException {
    return groups.promote(groupId, number);
  }

  @Override
  public GroupInfo leaveGroup(GroupId groupId) throws ParleyException {
    return groups.leave(groupId);
  }

  @Override
  public GroupInfo renameGroup(GroupId groupId, String name) throws ParleyException {
    return groups.rename(groupId, name);
  }

  @Override
  public GroupInfo setGroupPicture(GroupId groupId, Path picture) throws ParleyException {
    return groups.setPicture(groupId, picture);
  }

  @Override
  public GroupInfo removeGroupPicture(GroupId groupId) throws ParleyException {
    return groups.setPicture(groupId, null);
  }

  @Override
  public GroupInfo setGroupMembersMayEdit(GroupId groupId, boolean membersMayEdit) throws ParleyException {
    return groups.setMembersMayEdit(groupId, membersMayEdit);
  }

  @Override
  public List<GroupInfo> groups() throws ParleyException {
    return groups.groups();
  }

  @Override
  public GroupInfo group(GroupId groupId) throws ParleyException {
    return groups.group(groupId);
  }

  @Override
  public GroupMessage sendToGroup(GroupId groupId, String text) throws ParleyException {
    return groups.send(groupId, text);
  }

  @Override
  public GroupMessage sendToGroup(GroupId groupId, String caption,
      List<OutgoingAttachment> attachments) throws ParleyException {
    return groups.send(groupId, caption, attachments);
  }

  @Override
  public List<GroupHistoryEntry> groupHistory(GroupId groupId, int limit) throws ParleyException {
    return groups.history(groupId, limit);
  }

  @Override
  public GroupMessageInfo groupMessageInfo(long groupMessageId) throws ParleyException {
    return groups.messageInfo(groupMessageId);
  }

  @Override
  public int markGroupRead(GroupId groupId) throws ParleyException {
    return groups.markRead(groupId);
  }

  @Override
  public void sendGroupTyping(GroupId groupId, boolean started) throws ParleyException {
    groups.sendTyping(groupId, started);
  }

  @Override
  public int markRead(String number) throws ParleyException {
    return messaging.markRead(number);
  }

  @Override
  public void setReadReceipts(boolean enabled) throws ParleyException {
    accounts.setReadReceipts(enabled);
  }

  @Override
  public SafetyNumber safetyNumber(String number) throws ParleyException {
    return safetyNumbers.safetyNumber(number);
  }

  @Override
  public CallManager calls() {
    return calls.warmedUp();
  }

  @Override
  public void addListener(ParleyListener listener) {
    events.add(listener);
  }

  @Override
  public void removeListener(ParleyListener listener) {
    events.remove(listener);
  }

  @Override
  public void close() {
    close.run();
  }
}
