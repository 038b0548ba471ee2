package org.parley.turn.attribute;

import java.util.Objects;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * ERROR-CODE (RFC 8489 section 14.8): 21 zero bits, the hundreds digit in 3 bits (3..6), the rest in 8 bits (0..99),
 * then a UTF-8 reason phrase of less than 128 characters.
 */
public record ErrorCode(int code, String reason) implements StunAttribute {
  public static final int TRY_ALTERNATE = 300;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHENTICATED = 401;
  public static final int FORBIDDEN = 403;
  public static final int UNKNOWN_ATTRIBUTE = 420;
  public static final int ALLOCATION_MISMATCH = 437;
  public static final int STALE_NONCE = 438;
  public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
  public static final int WRONG_CREDENTIALS = 441;
  public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
  public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
  public static final int ALLOCATION_QUOTA_REACHED = 486;
  public static final int SERVER_ERROR = 500;
  public static final int INSUFFICIENT_CAPACITY = 508;

  public ErrorCode {
    if (code < 300 || code > 699) {
      throw new IllegalArgumentException("error code must be 300..699: " + code);
    }
    Objects.requireNonNull(reason, "reason");
    Utf8.encode(reason, 763, "reason phrase");
  }

  /** The code with the standard reason phrase of RFC 8489 section 14.8 / RFC 8656 section 19. */
  public static ErrorCode of(int code) {
    return new ErrorCode(code, defaultReason(code));
  }

  public static String defaultReason(int code) {
    switch (code) {
      case TRY_ALTERNATE: return "Try Alternate";
      case BAD_REQUEST: return "Bad Request";
      case UNAUTHENTICATED: return "Unauthenticated";
      case FORBIDDEN: return "Forbidden";
      case UNKNOWN_ATTRIBUTE: return "Unknown Attribute";
      case ALLOCATION_MISMATCH: return "Allocation Mismatch";
      case STALE_NONCE: return "Stale Nonce";
      case ADDRESS_FAMILY_NOT_SUPPORTED: return "Address Family not Supported";
      case WRONG_CREDENTIALS: return "Wrong Credentials";
      case UNSUPPORTED_TRANSPORT_PROTOCOL: return "Unsupported Transport Protocol";
      case PEER_ADDRESS_FAMILY_MISMATCH: return "Peer Address Family Mismatch";
      case ALLOCATION_QUOTA_REACHED: return "Allocation Quota Reached";
      case SERVER_ERROR: return "Server Error";
      case INSUFFICIENT_CAPACITY: return "Insufficient Capacity";
      default: return "Error";
    }
  }

  @Override
  public int type() {
    return AttributeType.ERROR_CODE;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    byte[] text = Utf8.encode(reason, 763, "reason phrase");
    byte[] out = new byte[4 + text.length];
    out[2] = (byte) (code / 100);
    out[3] = (byte) (code % 100);
    System.arraycopy(text, 0, out, 4, text.length);
    return out;
  }

  static ErrorCode decode(byte[] buf, int off, int len) throws StunParseException {
    if (len < 4) {
      throw new StunParseException("ERROR-CODE too short");
    }
    int cls = buf[off + 2] & 0x07;
    int number = buf[off + 3] & 0xFF;
    if (cls < 3 || cls > 6 || number > 99) {
      throw new StunParseException("ERROR-CODE out of range: class " + cls + " number " + number);
    }
    return new ErrorCode(cls * 100 + number, Utf8.decode(buf, off + 4, len - 4, 763, "reason phrase"));
  }
}
