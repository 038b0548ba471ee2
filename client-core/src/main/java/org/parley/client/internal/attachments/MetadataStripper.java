package org.parley.client.internal.attachments;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import org.parley.client.api.InvalidInputException;

/**
 * Removes location and other metadata from a picture before it is sent as a picture: JPEG and PNG are rewritten
 * without their metadata, pixels byte for byte as they were; other formats are copied unchanged (they are sent as
 * files, which keep their metadata on purpose). See docs/decisions/0121-attachments-client.md.
 */
public final class MetadataStripper {

  /** What the input was. */
  public enum Format { JPEG, PNG, OTHER }

  /**
   * The outcome: the format, the EXIF orientation found (1 = upright; kept in the output as the only EXIF tag) and
   * how many metadata segments or chunks were removed.
   */
  public record Stripped(Format format, int orientation, int removed) {}

  private MetadataStripper() {}

  /**
   * Copies {@code picture} to {@code out} without metadata. A JPEG or PNG that turns out to be malformed is refused;
   * {@code out} may then hold part of it and must be discarded.
   */
  public static Stripped strip(InputStream picture, OutputStream out) throws IOException, InvalidInputException {
    PushbackInputStream in = new PushbackInputStream(picture, PngStripper.SIGNATURE.length);
    Format format = sniff(in);
    try {
      switch (format) {
        case JPEG:
          in.skipNBytes(2);
          return JpegStripper.strip(in, out);
        case PNG:
          in.skipNBytes(PngStripper.SIGNATURE.length);
          return PngStripper.strip(in, out);
        default:
          in.transferTo(out);
          return new Stripped(Format.OTHER, ExifOrientation.UPRIGHT, 0);
      }
    } catch (EOFException e) {
      throw new InvalidInputException(e.getMessage(), e);
    } catch (MalformedPicture e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** The EXIF orientation of a JPEG or PNG (1, upright, for anything else or when absent). */
  static int orientation(InputStream picture) throws IOException {
    PushbackInputStream in = new PushbackInputStream(picture, PngStripper.SIGNATURE.length);
    Format format = sniff(in);
    try {
      if (format == Format.JPEG) {
        in.skipNBytes(2);
        return JpegStripper.orientation(in);
      }
      if (format == Format.PNG) {
        in.skipNBytes(PngStripper.SIGNATURE.length);
        return PngStripper.orientation(in);
      }
    } catch (IOException malformed) {
      // The decoder reports a broken picture more precisely; an unreadable orientation is just upright.
    }
    return ExifOrientation.UPRIGHT;
  }

  private static Format sniff(PushbackInputStream in) throws IOException {
    byte[] head = in.readNBytes(PngStripper.SIGNATURE.length);
    in.unread(head);
    if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
      return Format.JPEG;
    }
    if (Arrays.equals(head, PngStripper.SIGNATURE)) {
      return Format.PNG;
    }
    return Format.OTHER;
  }

  /** A structural error in a JPEG or PNG (as opposed to an I/O failure). */
  static final class MalformedPicture extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedPicture(String message) {
      super(message);
    }
  }
}
