package org.parley.client.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.calls.CallManager;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupPermissionException;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.QrCode;
import org.parley.client.api.payments.Vpa;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.client.api.voice.VoiceCodecException;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.client.internal.Clients;

/**
 * A Parley client: one account in one data directory. Open it with {@link #open}; {@link #close} it when done.
 * Everything written locally (messages, outbox, keys) is durable when a method returns.
 */
public interface ParleyClient extends AutoCloseable {

  /** Opens (creating if needed) the encrypted local database in {@code options.dataDir()}. */
  static ParleyClient open(ClientOptions options) throws ParleyException {
    return Clients.open(options);
  }

  /** The account, or {@link NotRegisteredException} when registration has not been completed. */
  AccountInfo account() throws NotRegisteredException;

  /**
   * Step 1 of registration: asks the server to send a code to {@code number} (E.164, e.g. {@code +15551234567}).
   * Creates a new identity; a previous registration in this data directory is replaced once verified.
   */
  void requestCode(String number) throws ParleyException;

  /** Step 2: submits the code, registers device 1, uploads prekeys. */
  AccountInfo verify(String code) throws ParleyException;

  /**
   * Step 2 for a number whose account has a registration lock ({@link RegistrationLockedException} from
   * {@link #verify(String)}): the same, with the PIN its owner set. {@code pin} null means none.
   */
  AccountInfo verify(String code, String pin) throws ParleyException;

  /**
   * Sets the registration lock (primary device only): registering this number again, anywhere, then needs
   * {@code pin} (4 to 64 characters) as well as the SMS code, until the account has been inactive for a week. The
   * PIN never leaves this device; the server keeps a slow hash of a token derived from it.
   */
  void setRegistrationLock(String pin) throws ParleyException;

  /** Removes the registration lock (primary device only). */
  void removeRegistrationLock() throws ParleyException;

  /** Whether the account has a registration lock set, as the server says. */
  boolean registrationLockSet() throws ParleyException;

  /**
   * Links this (new, unregistered) data directory to an existing account as a new device: shows links through
   * {@code progress} (as QR codes; a new one when the previous expires) until the account's primary device adds it
   * with {@link #addDevice}, then registers this device with its own keys. Blocks until linked, or
   * {@link NetworkException} after {@code timeout}; interrupting the thread stops it.
   */
  LinkResult link(String deviceName, LinkProgress progress, Duration timeout) throws ParleyException,
      InterruptedException;

  /**
   * On the primary device: sends our account, encrypted to the key in {@code linkUri} (the new device's QR code), and
   * waits until the new device has registered; returns it.
   */
  LinkedDevice addDevice(String linkUri, String profileName) throws ParleyException, InterruptedException;

  /** Every device of our account, the primary first. */
  List<LinkedDevice> devices() throws ParleyException;

  /** On the primary device: unlinks a device; it is locked out at once. */
  void unlink(int deviceId) throws ParleyException;

  /**
   * Set once the server has revoked this device's credentials (see {@link ParleyListener#deviceRevoked}); empty
   * while they work or nothing is known yet.
   */
  Optional<DeviceRevoked> revoked();

  /** Connects the WebSocket (and keeps reconnecting) and starts sending the outbox. Idempotent. */
  void connect() throws ParleyException;

  /**
   * Waits until the server has delivered everything queued for us at connect time and it is stored, or until
   * {@code timeout}; returns whether the queue was drained.
   */
  boolean awaitQueueDrained(Duration timeout) throws InterruptedException;

  /** Waits until the outbox is empty (everything sent or failed) or {@code timeout}; returns whether it is. */
  boolean awaitOutboxEmpty(Duration timeout) throws InterruptedException;

  /** Writes a message to the outbox (status pending) and returns it; it is sent when connected. */
  Message send(String number, String text) throws ParleyException;

  /**
   * As {@link #send(String, String)} for many texts at once (a bot's broadcast): all are checked first, then written
   * to the outbox in one transaction — one disk write instead of one per message — and returned in order. Nothing
   * is queued when any text or number is refused.
   */
  List<Message> sendAll(List<OutgoingText> texts) throws ParleyException;

  /**
   * Writes a message with attachments to the outbox and returns it (status pending); {@code text} is the caption and
   * may be empty. Each file is checked (exists, readable, within the server's size cap), pictures are stripped of
   * metadata unless sent as files, and everything is copied encrypted into the data directory before this returns:
   * the uploads then run from that copy, resume after a crash or lost connection, and the message is sent once, after
   * its last upload completed. {@link InvalidInputException} for an unreadable or oversize file, nothing queued.
   */
  Message send(String number, String text, List<OutgoingAttachment> attachments) throws ParleyException;

  /**
   * Sends a recording as a voice note. {@code wav} is any uncompressed WAV file (8–96 kHz, any channel count, at most
   * 30 minutes); it is mixed to mono, resampled to 16 kHz and encoded as Ogg Opus, then queued like an attachment
   * whose pointer carries the duration and a 64-bucket waveform. {@link UnreadableAudioException} for a file that is
   * not such a WAV, {@link VoiceCodecException} when Opus cannot load here; nothing is queued then.
   */
  Message sendVoiceNote(String number, Path wav) throws ParleyException;

  /**
   * Decodes a voice note (or any Ogg Opus attachment, e.g. one made by opusenc) stored on this device to 48 kHz PCM
   * for playback. {@link NotFoundException} when it is not downloaded yet, {@link UnreadableAudioException} when it
   * is not Ogg Opus, is damaged or cut short.
   */
  VoiceNoteAudio decodeVoiceNote(long attachmentId) throws ParleyException;

  /** Shares a place: stored and sent like a text message, whose text describes it (name and coordinates). */
  Message sendLocation(String number, Location location) throws ParleyException;

  /**
   * Asks {@code number} to pay us by UPI: a message with a new request id, from which their device builds the
   * {@code upi://pay} link and QR code. Parley never moves money; the payer pays in their own UPI app.
   *
   * @param payee our UPI ID, where the money goes
   * @param payeeName our name as the payer's UPI app should show it (1 to 50 characters)
   * @param note what it is for (at most 50 characters)
   */
  Message requestPayment(String number, InrAmount amount, Vpa payee, String payeeName, Optional<String> note)
      throws ParleyException;

  /**
   * Moves a payment request on: the payer marks it paid (with the UTR) or declined, the requester cancels it. The
   * other party and our other devices are told. Anything else — the wrong side, a request that is already final —
   * is an {@link InvalidInputException} saying why; setting the status it already has changes nothing.
   */
  PaymentRequestEntry updatePayment(PaymentRequestId requestId, PaymentStatus status) throws ParleyException;

  /** The QR code of a request's {@code upi://pay} link (error correction M), for a phone's UPI app to scan. */
  QrCode paymentQrCode(PaymentRequest request);

  /** A payment request by id; {@link NotFoundException} when this device has none. */
  PaymentRequestEntry payment(PaymentRequestId requestId) throws ParleyException;

  /** An attachment by local id; {@link NotFoundException} when there is none. */
  Attachment attachment(long attachmentId) throws ParleyException;

  /**
   * Starts (or retries) downloading a received attachment in the background; progress and the result come as
   * {@link ParleyListener} events. Pictures up to {@link #setAutoDownloadLimit} download by themselves. Does nothing
   * when it is already here or on its way.
   */
  void download(long attachmentId) throws ParleyException;

  /**
   * Waits until a received attachment is downloaded and returns it (DOWNLOADED); starts the download if needed.
   * {@link CorruptAttachmentException} for a tampered or truncated download (nothing saved),
   * {@link NotFoundException} when it has expired on the server, {@link NetworkException} after {@code timeout}.
   */
  Attachment awaitDownload(long attachmentId, Duration timeout) throws ParleyException, InterruptedException;

  /** Stops an upload or download; the bytes moved so far are kept, and {@link #retryTransfer} continues from them. */
  void cancelTransfer(long attachmentId) throws ParleyException;

  /** Tries a failed or cancelled upload (its message is then sent) or download again. */
  void retryTransfer(long attachmentId) throws ParleyException;

  /** The plaintext of an attachment stored on this device; {@link NotFoundException} when it is not (yet) here. */
  InputStream openAttachment(long attachmentId) throws ParleyException;

  /**
   * Writes an attachment stored on this device, decrypted, into {@code directory} under its file name made safe and
   * unique (never outside {@code directory}, whatever name the sender chose) and returns the path.
   */
  Path saveAttachment(long attachmentId, Path directory) throws ParleyException;

  /**
   * Received pictures and voice notes up to this many bytes download by themselves (default 10 MiB; 0 turns it off).
   * Stored.
   */
  void setAutoDownloadLimit(long bytes) throws ParleyException;

  /** Deletes a message on this device, with its attachments' files. */
  void deleteMessage(long messageId) throws ParleyException;

  /** Deletes every message with {@code number} on this device, with their attachments' files. */
  void deleteConversation(String number) throws ParleyException;

  /** Sends a typing indicator (only to devices online now). */
  void sendTyping(String number, boolean started) throws ParleyException;

  /** Subscribes to {@code number}'s presence (needs a connection) and returns its presence now. */
  Presence presence(String number) throws ParleyException;

  /** Messages with {@code number}, oldest first, at most the newest {@code limit}. */
  List<Message> history(String number, int limit) throws ParleyException;

  /**
   * A page before a message: the newest {@code limit} messages with {@code number} that are strictly older than the
   * message {@code beforeMessageId} (ordered by timestamp, then id), oldest first. Page backwards by passing the
   * first message of the previous page. The cost does not grow with the conversation's length.
   * {@link NotFoundException} when that message is not in this conversation.
   */
  List<Message> history(String number, long beforeMessageId, int limit) throws ParleyException;

  /**
   * Messages of all conversations whose text contains {@code query} ignoring case, newest first, at most
   * {@code limit} (1 … 1000).
   */
  List<Message> search(String query, int limit) throws ParleyException;

  /**
   * Like {@link #search}, over the 1:1 conversations and the groups together: at most {@code limit} (1 … 1000)
   * messages whose text contains {@code query} ignoring case, newest first; a group message comes with its group and
   * sender.
   */
  List<SearchResult> searchAll(String query, int limit) throws ParleyException;

  /** Everyone we have a conversation with. */
  List<Contact> contacts() throws ParleyException;

  /**
   * Marks incoming messages from {@code number} read; sends read receipts (at most 500 timestamps each) unless
   * turned off. Returns how many; listeners get one {@link ParleyListener#conversationRead} when any changed.
   */
  int markRead(String number) throws ParleyException;

  /** Turns sending read receipts on or off (default on); stored in the local database. */
  void setReadReceipts(boolean enabled) throws ParleyException;

  /** The safety number to compare with {@code number} (needs their identity key; fetched if unknown). */
  SafetyNumber safetyNumber(String number) throws ParleyException;

  // ---- Groups (docs/decisions/0140-groups.md) ----

  /**
   * Creates a group named {@code name} (1 to {@link GroupInfo#MAX_NAME_LENGTH} characters) with us as its admin and
   * {@code memberNumbers} (registered numbers, at most {@link GroupInfo#MAX_MEMBERS} with us) as members, and tells
   * them (and our other devices) over the pairwise sessions. {@link NotFoundException} for a number that is not
   * registered, {@link InvalidInputException} for a bad name or number; nothing is created then.
   */
  GroupInfo createGroup(String name, List<String> memberNumbers) throws ParleyException;

  /**
   * Adds members (admins only, unless the group lets every member edit: {@link GroupPermissionException}); they read
   * only what is sent after they joined. Numbers already in the group are ignored.
   */
  GroupInfo addGroupMembers(GroupId groupId, List<String> numbers) throws ParleyException;

  /** Removes a member (admins only); our sender key is replaced, so they cannot read what we send next. */
  GroupInfo removeGroupMember(GroupId groupId, String number) throws ParleyException;

  /** Makes a member an admin (admins only). */
  GroupInfo promoteGroupMember(GroupId groupId, String number) throws ParleyException;

  /**
   * Leaves the group: the others are told and stop sending to us; the conversation stays here, read-only. The last
   * admin leaving makes the longest-standing member an admin first.
   */
  GroupInfo leaveGroup(GroupId groupId) throws ParleyException;

  /** Renames the group (admins only, unless every member may edit). */
  GroupInfo renameGroup(GroupId groupId, String name) throws ParleyException;

  /**
   * Sets the group's picture (admins only, unless every member may edit: {@link GroupPermissionException}, checked
   * before anything is uploaded): the picture, stripped of EXIF/GPS like any picture sent, is uploaded once and its
   * pointer goes into the group's end-to-end encrypted state, so members added later and devices that were offline
   * get it with the state. At most 5 MiB, an image ({@link InvalidInputException} otherwise). Blocks until uploaded.
   */
  GroupInfo setGroupPicture(GroupId groupId, Path picture) throws ParleyException;

  /** Removes the group's picture (the same rights as {@link #setGroupPicture}). */
  GroupInfo removeGroupPicture(GroupId groupId) throws ParleyException;

  /** Lets every member (true) or only admins (false) add members and rename the group (admins only). */
  GroupInfo setGroupMembersMayEdit(GroupId groupId, boolean membersMayEdit) throws ParleyException;

  /** Every group this device knows, also those we left, newest activity first. */
  List<GroupInfo> groups() throws ParleyException;

  /** One group; {@link NotFoundException} for a group this device does not know. */
  GroupInfo group(GroupId groupId) throws ParleyException;

  /**
   * Sends a text to a group: encrypted once with our sender key and uploaded once, the server fans it out to every
   * member's devices. Returns it pending, like {@link #send(String, String)}. {@link NotFoundException} for an
   * unknown group, {@link GroupPermissionException} when we are no longer a member.
   */
  GroupMessage sendToGroup(GroupId groupId, String text) throws ParleyException;

  /**
   * Sends files with a caption (possibly empty) to a group. Each file is prepared as for 1:1 (pictures stripped of
   * metadata), encrypted and uploaded <em>once</em>; the message, carrying the pointers inside the one sender-key
   * ciphertext, is sent when every upload ended (the message is PENDING until then, FAILED if an upload is refused
   * or cancelled). Our other devices get the pointers with the sent-message sync. Without attachments it is
   * {@link #sendToGroup(GroupId, String)}.
   */
  GroupMessage sendToGroup(GroupId groupId, String caption,
      List<OutgoingAttachment> attachments) throws ParleyException;

  /** The newest {@code limit} messages and system lines of a group, oldest first. */
  List<GroupHistoryEntry> groupHistory(GroupId groupId, int limit) throws ParleyException;

  /** Delivered/read per member for one of our group messages; {@link NotFoundException} when there is none. */
  GroupMessageInfo groupMessageInfo(long groupMessageId) throws ParleyException;

  /** Marks a group's incoming messages read and sends read receipts to their senders (unless turned off). */
  int markGroupRead(GroupId groupId) throws ParleyException;

  /** Sends a typing indicator to the group's members (only to devices online now). */
  void sendGroupTyping(GroupId groupId, boolean started) throws ParleyException;

  /** Audio calls of this client (placed and received while {@linkplain #connect() connected}). */
  CallManager calls();

  void addListener(ParleyListener listener);

  void removeListener(ParleyListener listener);

  /** Stops the connection and the outbox; the local database stays consistent. */
  @Override
  void close();
}
