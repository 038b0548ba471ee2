package org.parley.client.internal.attachments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.voice.VoiceNoteMessages;

/**
 * Checks an {@link AttachmentPointer} from a received message before anything acts on it: the sender's client may
 * be buggy or hostile, and its values end up in URLs, file names, key specs and image decoders.
 */
public final class AttachmentPointers {

  /** Server ids are base64url (32 characters today); the same shape names the local file. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** {@code type/subtype} with RFC 6838 characters, parameters allowed; no control characters. */
  private static final Pattern CONTENT_TYPE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(;[ -~]*)?");
  static final int MAX_THUMBNAIL_BYTES = 16 * 1024;
  static final int MAX_FILE_NAME_CHARS = 1024;
  static final int MAX_CAPTION_CHARS = 4096;
  static final int MAX_SIDE = 1 << 16;

  /** A thumbnail's frame may declare at most this many pixels a side (ours are 64): 16 KiB can announce 65535². */
  static final int MAX_THUMBNAIL_SIDE = 512;

  private AttachmentPointers() {}

  /**
   * The receiver shows the thumbnail before anything else, so it must be a JPEG whose header promises a small
   * picture: a few kilobytes can declare 65535 × 65535 pixels, which a decoder would try to allocate.
   */
  private static void checkThumbnail(byte[] jpeg) throws InvalidInputException {
    int[] size;
    try {
      size = jpeg.length > 2 && (jpeg[0] & 0xff) == 0xFF && (jpeg[1] & 0xff) == 0xD8
          ? JpegStripper.frameSize(new ByteArrayInputStream(jpeg, 2, jpeg.length - 2)) : null;
    } catch (IOException malformed) {
      size = null;
    }
    if (size == null) {
      throw new InvalidInputException("Attachment pointer: the thumbnail is not a JPEG");
    }
    if (size[0] < 1 || size[1] < 1 || size[0] > MAX_THUMBNAIL_SIDE || size[1] > MAX_THUMBNAIL_SIDE) {
      throw new InvalidInputException("Attachment pointer: the thumbnail claims " + size[0] + "×" + size[1]
          + " pixels; at most " + MAX_THUMBNAIL_SIDE + " a side");
    }
  }

  /** Refuses a pointer that could not have come from a working client, saying which field is wrong. */
  public static void check(AttachmentPointer pointer) throws InvalidInputException {
    if (!ID.matcher(pointer.getId()).matches()) {
      throw new InvalidInputException("Attachment pointer: the id must be 1 to 64 base64url characters");
    }
    if (pointer.getKey().size() != AttachmentKey.LENGTH) {
      throw new InvalidInputException("Attachment pointer: the key must be " + AttachmentKey.LENGTH + " bytes, not "
          + pointer.getKey().size());
    }
    if (pointer.getDigest().size() != 32) {
      throw new InvalidInputException("Attachment pointer: the digest must be 32 bytes (SHA-256), not "
          + pointer.getDigest().size());
    }
    AttachmentFormat.ofWire(pointer.getCipherFormat());
    if (pointer.getSize() > PaddedSizes.LARGEST_PLAINTEXT || pointer.getSize() < 0) {
      throw new InvalidInputException("Attachment pointer: a size of " + Long.toUnsignedString(pointer.getSize())
          + " bytes is impossible");
    }
    if (!pointer.getContentType().isEmpty() && !CONTENT_TYPE.matcher(pointer.getContentType()).matches()) {
      throw new InvalidInputException("Attachment pointer: the content type is not a MIME type");
    }
    if (pointer.getFileName().length() > MAX_FILE_NAME_CHARS) {
      throw new InvalidInputException("Attachment pointer: the file name is longer than " + MAX_FILE_NAME_CHARS
          + " characters");
    }
    if (Integer.toUnsignedLong(pointer.getWidth()) > MAX_SIDE
        || Integer.toUnsignedLong(pointer.getHeight()) > MAX_SIDE) {
      throw new InvalidInputException("Attachment pointer: a width or height above " + MAX_SIDE + " pixels");
    }
    if (pointer.getThumbnail().size() > MAX_THUMBNAIL_BYTES) {
      throw new InvalidInputException("Attachment pointer: the thumbnail is larger than " + MAX_THUMBNAIL_BYTES
          + " bytes");
    }
    if (!pointer.getThumbnail().isEmpty()) {
      checkThumbnail(pointer.getThumbnail().toByteArray());
    }
    if (pointer.getCaption().length() > MAX_CAPTION_CHARS) {
      throw new InvalidInputException("Attachment pointer: the caption is longer than " + MAX_CAPTION_CHARS
          + " characters");
    }
    if (pointer.hasVoiceNote()) {
      if (!pointer.getContentType().toLowerCase(Locale.ROOT).startsWith("audio/")) {
        throw new InvalidInputException("Attachment pointer: a voice note must be audio, not \""
            + pointer.getContentType() + "\"");
      }
      try {
        VoiceNoteMessages.fromProto(pointer.getVoiceNote());
      } catch (InvalidInputException bad) {
        throw new InvalidInputException("Attachment pointer: " + bad.getMessage(), bad);
      }
    }
  }
}
