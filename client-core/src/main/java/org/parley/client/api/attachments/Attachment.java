package org.parley.client.api.attachments;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.voice.VoiceNote;

/**
 * A picture, video, voice note or file sent or received with a message (docs/decisions/0121-attachments-client.md).
 *
 * @param id local id, stable for the life of the attachment on this device
 * @param messageId the local id of the message that carries it: a 1:1 message, or a group message when
 *     {@code groupId} is present; 0 for a group's picture
 * @param contentType MIME type as the sender gave it ({@code application/octet-stream} when unknown)
 * @param fileName the sender's file name, a suggestion only (made safe whenever it is saved)
 * @param size plaintext size in bytes
 * @param width picture or video width as displayed, when known
 * @param height picture or video height as displayed, when known
 * @param durationMillis audio or video length, when known
 * @param thumbnail a small JPEG (a few dozen pixels, at most a few kB) to show before the download finishes
 * @param caption this attachment's own caption, when the sender gave one
 * @param state where it is in its life on this device
 * @param transferred plaintext-equivalent bytes moved by the current or last transfer (for progress bars)
 * @param error why the last transfer failed, for people; empty unless {@code state} is FAILED or EXPIRED
 * @param voiceNote present when it is a voice note (an Ogg Opus file): its length and waveform, known before the
 *     download; {@code ParleyClient.decodeVoiceNote} turns the downloaded file into sound
 * @param groupId the group, for an attachment of a group message or a group's picture; empty for 1:1
 */
public record Attachment(long id, long messageId, String contentType, String fileName, long size,
    OptionalInt width, OptionalInt height, OptionalLong durationMillis, Optional<byte[]> thumbnail,
    Optional<String> caption, AttachmentState state, long transferred, Optional<String> error,
    Optional<VoiceNote> voiceNote, Optional<GroupId> groupId) {

  /** Whether it belongs to a group message (or is a group's picture) rather than to a 1:1 message. */
  public boolean inGroup() {
    return groupId.isPresent();
  }

  public boolean isImage() {
    return contentType.startsWith("image/");
  }

  public boolean isVideo() {
    return contentType.startsWith("video/");
  }

  public boolean isAudio() {
    return contentType.startsWith("audio/");
  }
}
