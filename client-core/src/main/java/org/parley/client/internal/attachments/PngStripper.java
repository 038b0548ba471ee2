package org.parley.client.internal.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Copies a PNG chunk by chunk, keeping the image data and the chunks that say how to render it, and dropping text
 * (tEXt, zTXt, iTXt: where XMP and comments live), EXIF (eXIf), the modification time and any other ancillary chunk
 * it does not know. Unknown critical chunks are kept: a decoder needs them. A non-upright EXIF orientation survives
 * as a minimal eXIf chunk.
 */
final class PngStripper {

  static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final Set<String> RENDERING = Set.of("tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP",
      "mDCv", "cLLi", "bKGD", "hIST", "pHYs", "sPLT", "acTL", "fcTL", "fdAT");
  /** An eXIf chunk larger than this is dropped unread (its orientation is then lost, which is harmless). */
  private static final int LARGEST_EXIF_READ = 1 << 20;

  private PngStripper() {}

  /** Copies {@code in} (just past its signature) to {@code out} without metadata. */
  static MetadataStripper.Stripped strip(InputStream in, OutputStream out) throws IOException {
    ByteReader reader = new ByteReader(in, "The PNG");
    out.write(SIGNATURE);
    int orientation = ExifOrientation.UPRIGHT;
    boolean beforeImageData = true;
    int removed = 0;
    while (true) {
      long length = reader.u32();
      if (length > Integer.MAX_VALUE) {
        throw new MetadataStripper.MalformedPicture("The PNG is malformed: a chunk claims " + length + " bytes");
      }
      byte[] typeBytes = reader.bytes(4);
      String type = chunkType(typeBytes);
      if (type.equals("IDAT") && beforeImageData) {
        beforeImageData = false;
        if (orientation != ExifOrientation.UPRIGHT) {
          writeChunk(out, "eXIf", ExifOrientation.tiffWithOnly(orientation));
        }
      }
      boolean critical = Character.isUpperCase(type.charAt(0));
      if (type.equals("eXIf") && length <= LARGEST_EXIF_READ) {
        byte[] exif = reader.bytes((int) length);
        orientation = ExifOrientation.fromTiff(exif, 0, exif.length);
        reader.copy(4, null);
        removed++;
      } else if (critical || RENDERING.contains(type)) {
        out.write(ByteBuffer.allocate(4).putInt((int) length).array());
        out.write(typeBytes);
        reader.copy(length + 4, out);
      } else {
        reader.copy(length + 4, null);
        removed++;
      }
      if (type.equals("IEND")) {
        return new MetadataStripper.Stripped(MetadataStripper.Format.PNG, orientation, removed);
      }
    }
  }

  /** The orientation of an eXIf chunk before the image data (the rest is not read). */
  static int orientation(InputStream in) throws IOException {
    ByteReader reader = new ByteReader(in, "The PNG");
    while (true) {
      long length = reader.u32();
      String type = chunkType(reader.bytes(4));
      if (type.equals("IDAT") || type.equals("IEND") || length > Integer.MAX_VALUE) {
        return ExifOrientation.UPRIGHT;
      }
      if (type.equals("eXIf") && length <= LARGEST_EXIF_READ) {
        byte[] exif = reader.bytes((int) length);
        return ExifOrientation.fromTiff(exif, 0, exif.length);
      }
      reader.copy(length + 4, null);
    }
  }

  private static String chunkType(byte[] type) throws IOException {
    for (byte b : type) {
      if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z')) {
        throw new MetadataStripper.MalformedPicture("The PNG is malformed: a chunk type is not four letters");
      }
    }
    return new String(type, StandardCharsets.US_ASCII);
  }

  private static void writeChunk(OutputStream out, String type, byte[] data) throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(typeBytes);
    out.write(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
