package org.parley.client.internal.attachments;

import org.parley.client.api.InvalidInputException;

/**
 * How an attachment's transport ciphertext is built; the pointer names it ({@code cipher_format}), so the receiver
 * knows how to check and open it (docs/decisions/0122-attachment-throughput.md).
 */
public enum AttachmentFormat {

  /**
   * ADR 0121: {@code IV || AES-256-CBC(padded plaintext) || HMAC-SHA256}, encrypt-then-MAC. CBC encryption is
   * serial and costs about 2 CPU seconds per GiB here; still read, no longer written.
   */
  CBC_HMAC(1),

  /**
   * ADR 0122: a random 32-byte salt, then the padded plaintext in chunks of {@link AttachmentCipher#GCM_CHUNK} bytes,
   * each sealed with AES-256-GCM under HKDF(attachment key, salt) with the nonce {@code chunk index (8) || 0 0 0 ||
   * last-chunk flag (1)}. A changed, reordered, dropped or appended chunk fails a tag.
   */
  CHUNKED_GCM(2);

  /** What new attachments are sent in. */
  public static final AttachmentFormat CURRENT = CHUNKED_GCM;

  private final int wire;

  AttachmentFormat(int wire) {
    this.wire = wire;
  }

  /** The value in the pointer and the database. */
  public int wire() {
    return wire;
  }

  /** The format a pointer names; 0 (a pointer from before formats were named) is {@link #CBC_HMAC}. */
  public static AttachmentFormat ofWire(int wire) throws InvalidInputException {
    if (wire == 0) {
      return CBC_HMAC;
    }
    for (AttachmentFormat format : values()) {
      if (format.wire == wire) {
        return format;
      }
    }
    throw new InvalidInputException("Attachment pointer: cipher format " + Integer.toUnsignedString(wire)
        + " is unknown (sent by a newer Parley?)");
  }

  /** The transport ciphertext's length for a plaintext padded to {@code paddedLength} bytes. */
  public long ciphertextLength(long paddedLength) {
    return AttachmentCipher.ciphertextLength(this, paddedLength);
  }
}
