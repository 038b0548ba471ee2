package org.parley.client.api.attachments;

/** Where an attachment is in its life on this device. */
public enum AttachmentState {
  /** Outgoing: stored locally, waiting for the upload (queued in the outbox with its message). */
  UPLOAD_PENDING,
  /** Outgoing: being uploaded; progress events follow. */
  UPLOADING,
  /** Outgoing: on the server and announced in the message; the local copy stays. */
  UPLOADED,
  /** Incoming: only the pointer and thumbnail are here; {@code ParleyClient.download} fetches it. */
  NOT_DOWNLOADED,
  /** Incoming: being downloaded; progress events follow. */
  DOWNLOADING,
  /** Incoming: verified and stored, encrypted, in the local data directory. */
  DOWNLOADED,
  /** The last transfer failed ({@code Attachment.error} says why); it can be tried again. */
  FAILED,
  /** Stopped by the person; it can be tried again. */
  CANCELLED,
  /** Incoming: the server no longer has it (past its time to live); it cannot be downloaded any more. */
  EXPIRED;

  /** Whether a transfer is running or waiting to run. */
  public boolean inProgress() {
    return this == UPLOAD_PENDING || this == UPLOADING || this == DOWNLOADING;
  }

  /** Whether the plaintext is on this device ({@code ParleyClient.openAttachment} works). */
  public boolean isLocal() {
    return this == UPLOAD_PENDING || this == UPLOADING || this == UPLOADED || this == DOWNLOADED;
  }
}
