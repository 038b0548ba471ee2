package org.parley.client.api.attachments;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A file to send with a message.
 *
 * @param file the file; it is copied (encrypted) into the data directory when the message is queued, so it may change
 *     or go away afterwards
 * @param contentType MIME type; guessed from the content and name when empty
 * @param caption a caption for this attachment alone
 * @param asFile {@code true} sends the bytes exactly as they are ("send as file": metadata kept, no picture
 *     handling). {@code false} treats a picture as a picture: EXIF and other metadata, GPS included, are stripped
 *     before upload and a thumbnail is made.
 */
public record OutgoingAttachment(Path file, Optional<String> contentType, Optional<String> caption, boolean asFile) {

  /** A file sent with a guessed type, no caption, pictures stripped of metadata. */
  public static OutgoingAttachment of(Path file) {
    return new OutgoingAttachment(file, Optional.empty(), Optional.empty(), false);
  }
}
