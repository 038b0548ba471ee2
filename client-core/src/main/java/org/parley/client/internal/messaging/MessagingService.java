package org.parley.client.internal.messaging;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.voice.VoiceNote;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.account.PhoneNumbers;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.TypingMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.voice.EncodedVoiceNote;
import org.parley.client.internal.voice.VoiceNoteEncoder;
import org.parley.client.internal.voice.VoiceNoteMessages;
import org.parley.client.internal.voice.WavFiles;

/**
 * What the user writes: messages (to the outbox, sent by {@link OutboxWorker}), typing indicators (sent at once,
 * never stored) and "I read this conversation" (read receipts and read-syncs, through the outbox).
 */
public final class MessagingService {

  /** Characters; with UTF-8 and the PQXDH header the ciphertext stays well under the server's 64 KiB limit. */
  private static final int MAX_TEXT = 8_000;
  /** Attachments per message: with their thumbnails and names the pointers must fit one message. */
  private static final int MAX_ATTACHMENTS = 32;
  /** What a voice note is called on the other side (no date or device: the message has its own time). */
  static final String VOICE_NOTE_FILE_NAME = "voice-note.ogg";
  /** Bytes of encoded content with every pointer filled in; the server takes 64 KiB of ciphertext per device. */
  private static final int MAX_CONTENT_BYTES = 48 * 1024;

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final Conversations conversations;
  private final OwnDevices ownDevices;
  private final OutboxTable outboxTable;
  private final OutboxWorker outbox;
  private final Sender sender;
  private final IdentityChanges identityChanges;
  private final Events events;
  private final Clock clock;
  private final OutgoingFiles files;
  private final AttachmentSettings settings;

  public MessagingService(AccountService accounts, ContactDirectory directory, Conversations conversations,
      OwnDevices ownDevices, OutboxTable outboxTable, OutboxWorker outbox, Sender sender,
      IdentityChanges identityChanges, Events events, Clock clock, OutgoingFiles files,
      AttachmentSettings settings) {
    this.files = files;
    this.settings = settings;
    this.accounts = accounts;
    this.directory = directory;
    this.conversations = conversations;
    this.ownDevices = ownDevices;
    this.outboxTable = outboxTable;
    this.outbox = outbox;
    this.sender = sender;
    this.identityChanges = identityChanges;
    this.events = events;
    this.clock = clock;
  }

  /** Writes the message and its outbox row (PENDING) and returns it; the outbox worker sends it when connected. */
  public Message send(String number, String text) throws ParleyException {
    return sendAll(List.of(new OutgoingText(number, text))).get(0);
  }

  /** Checks every text and looks up every number, then writes them all in one transaction. */
  public List<Message> sendAll(List<OutgoingText> texts) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    List<String> destinations = new ArrayList<>(texts.size());
    for (OutgoingText outgoing : texts) {
      destinations.add(checkedDestination(row, outgoing.number(), outgoing.text()));
    }
    Set<Integer> syncTargets = ownDevices.syncTargets();
    List<Long> ids = conversations.queueTexts(row, texts, destinations, syncTargets);
    outbox.wake(false);
    List<Message> sent = new ArrayList<>(ids.size());
    for (long id : ids) {
      sent.add(conversations.message(id).orElseThrow());
    }
    return sent;
  }

  private String checkedDestination(AccountTable.Row row, String number, String text) throws ParleyException {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("A message needs some text");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidInputException("A message is at most " + MAX_TEXT + " characters; this one has "
          + text.length());
    }
    if (number.equals(row.number())) {
      throw new InvalidInputException("Sending to your own number is not supported");
    }
    return directory.accountOf(number);
  }

  /**
   * Prepares every attachment (checked, stripped, encrypted into the data directory), then writes the message, its
   * attachments and its outbox row in one transaction; nothing is queued when any attachment is refused.
   */
  public Message send(String number, String text, List<OutgoingAttachment> attachments) throws ParleyException {
    if (attachments == null || attachments.isEmpty()) {
      return send(number, text);
    }
    AccountTable.Row row = accounts.registered();
    String caption = text == null ? "" : text;
    if (caption.length() > MAX_TEXT) {
      throw new InvalidInputException("A caption is at most " + MAX_TEXT + " characters; this one has "
          + caption.length());
    }
    if (attachments.size() > MAX_ATTACHMENTS) {
      throw new InvalidInputException("A message carries at most " + MAX_ATTACHMENTS + " attachments, not "
          + attachments.size());
    }
    if (number.equals(row.number())) {
      throw new InvalidInputException("Sending to your own number is not supported");
    }
    String to = directory.accountOf(number);
    List<OutgoingFiles.Prepared> prepared = new ArrayList<>();
    try {
      for (OutgoingAttachment attachment : attachments) {
        prepared.add(files.prepare(attachment, settings.serverMaxSize(), true));
      }
    } catch (IOException e) {
      discard(prepared);
      throw new InvalidInputException("Cannot read an attachment: " + e.getMessage(), e);
    } catch (InvalidInputException | RuntimeException e) {
      discard(prepared);
      throw e;
    }
    return queue(row, to, caption, prepared, Collections.nCopies(prepared.size(), null));
  }

  /**
   * Sends a recording as a voice note: the WAV file (any rate and channel count) is mixed to mono, resampled to
   * 16 kHz and encoded as Ogg Opus (docs/decisions/0130-voice-location-payments.md), then sent as an
   * {@code audio/ogg} attachment whose pointer carries its duration and waveform.
   */
  public Message sendVoiceNote(String number, Path wav) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    if (wav == null) {
      throw new InvalidInputException("A voice note needs a WAV file");
    }
    if (number.equals(row.number())) {
      throw new InvalidInputException("Sending to your own number is not supported");
    }
    String to = directory.accountOf(number);
    EncodedVoiceNote encoded = VoiceNoteEncoder.encode(WavFiles.readMono(wav));
    OutgoingFiles.Prepared prepared;
    try {
      prepared = files.prepareVoiceNote(encoded.oggOpus(), VOICE_NOTE_FILE_NAME, settings.serverMaxSize());
    } catch (IOException e) {
      throw new ParleyException("Cannot store the voice note: " + e.getMessage(), e);
    }
    return queue(row, to, "", List.of(prepared), List.of(encoded.note()));
  }

  /**
   * Writes the message, its attachment rows and its outbox row in one transaction; the prepared files are deleted
   * if that does not happen.
   *
   * @param voiceNotes for each prepared file its voice note, or null when it is not one
   */
  private Message queue(AccountTable.Row row, String to, String caption, List<OutgoingFiles.Prepared> prepared,
      List<VoiceNote> voiceNotes) throws ParleyException {
    boolean queued = false;
    try {
      checkFits(caption, prepared, voiceNotes);
      List<AttachmentTable.New> rows = new ArrayList<>();
      for (int i = 0; i < prepared.size(); i++) {
        OutgoingFiles.Prepared p = prepared.get(i);
        VoiceNote note = voiceNotes.get(i);
        rows.add(new AttachmentTable.New(p.fileId(), p.serverId().orElse(null), p.key().bytes(), p.digest(), p.size(), p.ciphertextSize(),
            p.contentType(), p.fileName(), p.thumbnail().map(t -> t.width()).orElse(null),
            p.thumbnail().map(t -> t.height()).orElse(null), note == null ? null : note.duration().toMillis(),
            p.thumbnail().map(t -> t.jpeg()).orElse(null), p.caption().orElse(null),
            AttachmentState.UPLOAD_PENDING, null,
            note == null ? null : VoiceNoteMessages.toProto(note).getWaveform().toByteArray(), p.format().wire()));
      }
      long id = conversations.queueWithAttachments(row, to, caption, rows);
      queued = true;
      outbox.wake(false);
      return conversations.message(id).orElseThrow();
    } finally {
      if (!queued) {
        discard(prepared);
      }
    }
  }

  private void discard(List<OutgoingFiles.Prepared> prepared) {
    for (OutgoingFiles.Prepared p : prepared) {
      try {
        files.discard(p);
      } catch (IOException | InvalidInputException ignored) {
        // a file no row names is removed when the client next connects
      }
    }
  }

  /** Refuses a message whose pointers (with the longest possible server ids) would not fit one message. */
  private static void checkFits(String caption, List<OutgoingFiles.Prepared> prepared, List<VoiceNote> voiceNotes)
      throws InvalidInputException {
    DataMessage.Builder data = DataMessage.newBuilder().setText(caption).setTimestamp(Long.MAX_VALUE);
    for (int i = 0; i < prepared.size(); i++) {
      OutgoingFiles.Prepared p = prepared.get(i);
      AttachmentPointer.Builder pointer = AttachmentPointer.newBuilder().setId("x".repeat(64))
          .setKey(ByteString.copyFrom(p.key().bytes())).setDigest(ByteString.copyFrom(p.digest())).setSize(p.size())
          .setContentType(p.contentType()).setFileName(p.fileName()).setCipherFormat(p.format().wire());
      p.thumbnail().ifPresent(t -> pointer.setThumbnail(ByteString.copyFrom(t.jpeg())).setWidth(t.width())
          .setHeight(t.height()));
      p.caption().ifPresent(pointer::setCaption);
      if (voiceNotes.get(i) != null) {
        pointer.setVoiceNote(VoiceNoteMessages.toProto(voiceNotes.get(i)));
      }
      data.addAttachments(pointer);
    }
    int size = data.build().getSerializedSize();
    if (size > MAX_CONTENT_BYTES) {
      throw new InvalidInputException("The attachments' captions, names and thumbnails take " + size + " bytes; a"
          + " message holds at most " + MAX_CONTENT_BYTES + ": send fewer attachments at once");
    }
  }

  /** Sends a typing indicator now, only to the devices online now (ephemeral: the server stores nothing). */
  public void sendTyping(String number, boolean started) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    String to = directory.accountOf(number);
    long now = clock.millis();
    Content content = Content.newBuilder().setSenderNumber(row.number())
        .setTyping(TypingMessage.newBuilder().setStarted(started).setTimestamp(now)).build();
    try {
      sender.send(to, Contents.encode(content), now, true, Set::of);
    } catch (ApiFailure failure) {
      throw failure.toParley("Sending a typing indicator to " + number);
    } finally {
      identityChanges.report();
    }
  }

  /** Marks the conversation read, queues receipts and read-syncs, and fires one {@code conversationRead}. */
  public int markRead(String number) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    PhoneNumbers.check(number);
    int changed = conversations.markRead(row, number, row.readReceipts(), ownDevices.syncTargets());
    if (changed > 0) {
      events.fire(l -> l.conversationRead(number, changed));
    }
    outbox.wake(false);
    return changed;
  }

  /** Waits until the outbox is empty (everything sent or failed) or {@code timeout}; returns whether it is. */
  public boolean awaitOutboxEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outboxTable.size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
