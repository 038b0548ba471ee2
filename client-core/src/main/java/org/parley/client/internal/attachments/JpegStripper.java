package org.parley.client.internal.attachments;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rewrites a JPEG's segments without touching its compressed pixels: keeps what decoding and colour need (tables,
 * frame and scan headers, JFIF without its thumbnail, an ICC profile, Adobe's colour transform) and drops every
 * other application segment and comment: EXIF (location, camera, time, EXIF thumbnail), XMP, IPTC/Photoshop,
 * maker data, and whatever follows the end marker (motion-photo videos, vendor trailers). A non-upright EXIF
 * orientation survives as a minimal EXIF block holding only that tag.
 */
final class JpegStripper {

  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int APP0 = 0xE0;
  private static final int APP1 = 0xE1;
  private static final int APP2 = 0xE2;
  private static final int APP14 = 0xEE;
  private static final int APP15 = 0xEF;
  private static final int COM = 0xFE;
  private static final int TEM = 0x01;

  private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
  /** JFIF's APP0 up to and including the thumbnail size bytes (which are set to 0). */
  private static final int JFIF_WITHOUT_THUMBNAIL = 14;

  private JpegStripper() {}

  /** Copies {@code in} (just past its SOI) to {@code out} without metadata; returns the counts. */
  static MetadataStripper.Stripped strip(InputStream in, OutputStream out) throws IOException {
    ByteReader reader = new ByteReader(in, "The JPEG");
    out.write(0xFF);
    out.write(SOI);
    int orientation = ExifOrientation.UPRIGHT;
    boolean orientationWritten = false;
    int removed = 0;
    int marker = nextMarker(reader);
    while (marker != EOI) {
      if (isStandalone(marker)) {
        out.write(0xFF);
        out.write(marker);
        marker = nextMarker(reader);
        continue;
      }
      byte[] payload = segmentPayload(reader, marker);
      boolean application = marker >= APP0 && marker <= APP15 || marker == COM;
      if (!application && !orientationWritten) {
        if (orientation != ExifOrientation.UPRIGHT) {
          writeSegment(out, APP1, concat(EXIF, ExifOrientation.tiffWithOnly(orientation)));
        }
        orientationWritten = true;
      }
      if (marker == APP1 && startsWith(payload, EXIF)) {
        orientation = ExifOrientation.fromTiff(payload, EXIF.length, payload.length - EXIF.length);
      }
      byte[] kept = application ? keptApplicationSegment(marker, payload) : payload;
      if (kept == null) {
        removed++;
      } else {
        writeSegment(out, marker, kept);
      }
      marker = marker == SOS ? copyScan(reader, out) : nextMarker(reader);
    }
    out.write(0xFF);
    out.write(EOI);
    return new MetadataStripper.Stripped(MetadataStripper.Format.JPEG, orientation, removed);
  }

  /** The orientation from the EXIF block before the first scan (the rest of the file is not read). */
  static int orientation(InputStream in) throws IOException {
    ByteReader reader = new ByteReader(in, "The JPEG");
    int marker = nextMarker(reader);
    while (marker != EOI && marker != SOS) {
      if (!isStandalone(marker)) {
        byte[] payload = segmentPayload(reader, marker);
        if (marker == APP1 && startsWith(payload, EXIF)) {
          return ExifOrientation.fromTiff(payload, EXIF.length, payload.length - EXIF.length);
        }
      }
      marker = nextMarker(reader);
    }
    return ExifOrientation.UPRIGHT;
  }

  /**
   * The width and height a JPEG's frame header (SOFn) declares, read without decoding; null if there is none before
   * the first scan. Input must start just past SOI.
   */
  static int[] frameSize(InputStream in) throws IOException {
    ByteReader reader = new ByteReader(in, "The JPEG");
    int marker = nextMarker(reader);
    while (marker != EOI && marker != SOS) {
      if (!isStandalone(marker)) {
        byte[] payload = segmentPayload(reader, marker);
        if (isFrameHeader(marker) && payload.length >= 5) {
          int height = (payload[1] & 0xff) << 8 | (payload[2] & 0xff);
          int width = (payload[3] & 0xff) << 8 | (payload[4] & 0xff);
          return new int[] {width, height};
        }
      }
      marker = nextMarker(reader);
    }
    return null;
  }

  /** SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  private static boolean isFrameHeader(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /** An application segment as kept (JFIF loses its thumbnail), or null to drop it. */
  private static byte[] keptApplicationSegment(int marker, byte[] payload) {
    if (marker == APP0 && startsWith(payload, JFIF) && payload.length >= JFIF_WITHOUT_THUMBNAIL) {
      byte[] jfif = Arrays.copyOf(payload, JFIF_WITHOUT_THUMBNAIL);
      jfif[12] = 0;
      jfif[13] = 0;
      return jfif;
    }
    if (marker == APP2 && startsWith(payload, ICC) || marker == APP14 && startsWith(payload, ADOBE)) {
      return payload;
    }
    return null;
  }

  /**
   * Copies entropy-coded data after a scan header up to the next marker, which it returns: 0xFF 0x00 is a stuffed
   * data byte, 0xFF 0xD0–D7 are restart markers inside the scan, and repeated 0xFF are fill bytes.
   */
  private static int copyScan(ByteReader reader, OutputStream out) throws IOException {
    while (true) {
      if (!reader.copyUntilFf(out)) {
        throw new EOFException("The JPEG ends inside its compressed data (truncated: no end marker)");
      }
      reader.u8(); // the 0xFF
      int next = reader.u8();
      while (next == 0xFF) {
        next = reader.u8();
      }
      if (next == 0x00 || next >= 0xD0 && next <= 0xD7) {
        out.write(0xFF);
        out.write(next);
      } else {
        return next;
      }
    }
  }

  private static int nextMarker(ByteReader reader) throws IOException {
    int b = reader.read();
    if (b < 0) {
      throw new EOFException("The JPEG ends without its end marker (truncated)");
    }
    if (b != 0xFF) {
      throw new MetadataStripper.MalformedPicture("The JPEG is malformed: expected a marker, found 0x"
          + Integer.toHexString(b));
    }
    int marker = reader.u8();
    while (marker == 0xFF) {
      marker = reader.u8();
    }
    if (marker == 0x00 || marker == SOI) {
      throw new MetadataStripper.MalformedPicture("The JPEG is malformed: marker 0xFF"
          + Integer.toHexString(marker).toUpperCase() + " where a segment should start");
    }
    return marker;
  }

  private static boolean isStandalone(int marker) {
    return marker == TEM || marker >= 0xD0 && marker <= 0xD7;
  }

  private static byte[] segmentPayload(ByteReader reader, int marker) throws IOException {
    int length = reader.u16();
    if (length < 2) {
      throw new MetadataStripper.MalformedPicture("The JPEG is malformed: segment 0xFF"
          + Integer.toHexString(marker).toUpperCase() + " has length " + length);
    }
    return reader.bytes(length - 2);
  }

  private static void writeSegment(OutputStream out, int marker, byte[] payload) throws IOException {
    out.write(0xFF);
    out.write(marker);
    out.write((payload.length + 2) >>> 8);
    out.write(payload.length + 2);
    out.write(payload);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
