package org.parley.desktop.vm;

import java.util.Optional;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.voice.VoiceNote;

/**
 * One picture, video or file in a bubble, as the view shows it.
 *
 * @param kind how it is shown: a picture tile, a video tile (played in the viewer) or a file card
 * @param width width to show it at (pictures and videos: the picture's aspect ratio inside a bounded box)
 * @param height height to show it at
 * @param thumbnail the sender's small JPEG, shown blurred until the full picture is here
 * @param progress 0 … 1 while a transfer runs
 * @param status a short line for people: "Uploading… 40 %", "Failed — Retry", "No longer available"…
 * @param voice a voice note's length and waveform (kind VOICE), from the sender's pointer
 */
public record AttachmentItem(long id, long messageId, Kind kind, String fileName, String contentType, long size,
    String sizeText, int width, int height, Optional<byte[]> thumbnail, AttachmentState state, double progress,
    String status, Optional<String> caption, Optional<VoiceNote> voice) {

  /** How an attachment is shown. */
  public enum Kind {
    PICTURE, VIDEO, FILE, VOICE
  }

  /** The same item with a transfer's new progress. */
  public AttachmentItem withProgress(double fraction, boolean upload) {
    AttachmentState running = upload ? AttachmentState.UPLOADING : AttachmentState.DOWNLOADING;
    return new AttachmentItem(id, messageId, kind, fileName, contentType, size, sizeText, width, height, thumbnail,
        running, fraction, Attachments.status(running, fraction, Optional.empty()), caption, voice);
  }

  /** A transfer can be stopped. */
  public boolean canCancel() {
    return state.inProgress();
  }

  /** A failed or cancelled transfer can be tried again. */
  public boolean canRetry() {
    return state == AttachmentState.FAILED || state == AttachmentState.CANCELLED;
  }

  /** Received, not downloaded yet (too big for the automatic download, or a video or file). */
  public boolean canDownload() {
    return state == AttachmentState.NOT_DOWNLOADED;
  }

  /** The plaintext is on this device: it can be shown, opened and saved. */
  public boolean isLocal() {
    return state.isLocal();
  }

  public boolean expired() {
    return state == AttachmentState.EXPIRED;
  }

  /** A voice note: shown as a player. */
  public boolean isVoice() {
    return kind == Kind.VOICE;
  }

  /** Shown as a tile (picture or video) rather than a file card. */
  public boolean isMedia() {
    return kind == Kind.PICTURE || kind == Kind.VIDEO;
  }
}
