package org.parley.server.storage.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;

/**
 * The record format of the queue log, little-endian:
 *
 * <pre>
 *   int  bodyLength   bytes after this 9-byte header
 *   int  crc32c       over the type byte and the body
 *   byte type         HEADER, STORE, ACK, PURGE_ACCOUNT, PURGE_EXPIRED
 *   body:
 *     HEADER          long idFloor (every id handed out before the segment was created is at most this)
 *     STORE           long id, long acceptedAt, long expiresAt, int deviceId, u16 accountLength, account (UTF-8),
 *                     u16 guidLength (0xFFFF: no guid), guid (UTF-8), int envelopeLength, envelope
 *     ACK             long id
 *     PURGE_ACCOUNT   u16 accountLength, account (UTF-8)
 *     PURGE_EXPIRED   long nowMillis (messages expiring at or before it are gone)
 * </pre>
 */
final class Records {

  static final int HEADER_BYTES = 9;
  static final byte HEADER = 1;
  static final byte STORE = 2;
  static final byte ACK = 3;
  static final byte PURGE_ACCOUNT = 4;
  static final byte PURGE_EXPIRED = 5;

  /** Largest body accepted, written or read; anything larger in a file is corruption. */
  static final int MAX_BODY = 64 << 20;
  static final int MAX_STRING_BYTES = 0xFFFE;
  static final int NO_GUID = 0xFFFF;
  /** Fixed part of a STORE body: three longs, device id, two string lengths, envelope length. */
  static final int STORE_FIXED = 8 + 8 + 8 + 4 + 2 + 2 + 4;
  static final int HEADER_RECORD_BYTES = HEADER_BYTES + 8;
  static final int ACK_RECORD_BYTES = HEADER_BYTES + 8;

  private Records() {}

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** True when {@code s} is all ASCII, so its UTF-8 form is one byte per char. */
  static boolean ascii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** 64-bit FNV-1a over the chars; kept in memory so acknowledging by GUID needs no disk read but the final check. */
  static long guidHash(String guid) {
    if (guid == null) {
      return 0;
    }
    long h = 0xcbf29ce484222325L;
    for (int i = 0, n = guid.length(); i < n; i++) {
      h ^= guid.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Fills in the CRC of the record starting at {@code start} and ending at the buffer's position. */
  static void seal(ByteBuffer buf, int start, CRC32C crc) {
    int end = buf.position();
    int limit = buf.limit();
    crc.reset();
    buf.position(start + 8).limit(end);
    crc.update(buf);
    buf.limit(limit).position(end);
    buf.putInt(start + 4, (int) crc.getValue());
  }

  /** Checks the CRC of a whole record held in {@code bytes[start, start + length)}. */
  static boolean crcMatches(byte[] bytes, int start, int length, CRC32C crc) {
    crc.reset();
    crc.update(bytes, start + 8, length - 8);
    return (int) crc.getValue() == le(bytes).getInt(start + 4);
  }

  static long storeId(ByteBuffer record, int start) {
    return record.getLong(start + HEADER_BYTES);
  }

  static long storeExpiresAt(ByteBuffer record, int start) {
    return record.getLong(start + HEADER_BYTES + 16);
  }

  static int storeDeviceId(ByteBuffer record, int start) {
    return record.getInt(start + HEADER_BYTES + 24);
  }

  static String storeAccount(ByteBuffer record, int start) {
    int b = start + HEADER_BYTES;
    int accountLength = Short.toUnsignedInt(record.getShort(b + 28));
    return new String(record.array(), b + 30, accountLength, StandardCharsets.UTF_8);
  }

  static String storeGuid(ByteBuffer record, int start) {
    int b = start + HEADER_BYTES;
    int at = b + 30 + Short.toUnsignedInt(record.getShort(b + 28));
    int guidLength = Short.toUnsignedInt(record.getShort(at));
    return guidLength == NO_GUID ? null : new String(record.array(), at + 2, guidLength, StandardCharsets.UTF_8);
  }

  /** Decodes a whole STORE record; throws when its inner lengths do not fit the record. */
  static QueuedMessage decodeStore(ByteBuffer record, int start, int length, DeviceAddress device) {
    int b = start + HEADER_BYTES;
    int end = start + length;
    long id = record.getLong(b);
    long acceptedAt = record.getLong(b + 8);
    long expiresAt = record.getLong(b + 16);
    int at = b + 30 + Short.toUnsignedInt(record.getShort(b + 28));
    int guidLength = Short.toUnsignedInt(record.getShort(at));
    String guid = guidLength == NO_GUID ? null : new String(record.array(), at + 2, guidLength, StandardCharsets.UTF_8);
    at += 2 + (guidLength == NO_GUID ? 0 : guidLength);
    int envelopeLength = record.getInt(at);
    at += 4;
    if (envelopeLength < 0 || at + envelopeLength != end) {
      throw new IllegalStateException("STORE record of message " + id + " has inconsistent lengths");
    }
    byte[] envelope = new byte[envelopeLength];
    System.arraycopy(record.array(), at, envelope, 0, envelopeLength);
    return new QueuedMessage(id, device, guid, acceptedAt, expiresAt, envelope);
  }

  static String purgedAccount(ByteBuffer record, int start) {
    int b = start + HEADER_BYTES;
    return new String(record.array(), b + 2, Short.toUnsignedInt(record.getShort(b)), StandardCharsets.UTF_8);
  }
}
