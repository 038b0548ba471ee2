package org.parley.client.api.attachments;

/**
 * How far an upload or download is. Reported a few times a second at most, and once at the end.
 *
 * @param attachmentId the attachment's local id
 * @param messageId the local id of its message
 * @param contactNumber the other party of the conversation, or the group's id for a group message's attachment
 * @param upload {@code true} for an upload, {@code false} for a download
 * @param done bytes moved so far (counting earlier, resumed attempts)
 * @param total bytes to move
 */
public record AttachmentProgress(long attachmentId, long messageId, String contactNumber, boolean upload, long done,
    long total) {

  /** 0 … 1. */
  public double fraction() {
    return total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
  }
}
