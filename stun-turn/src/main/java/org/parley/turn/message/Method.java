package org.parley.turn.message;

/**
 * STUN method numbers (12 bits) from the IANA "STUN Methods" registry, RFC 8489 section 18.2 and RFC 8656
 * section 17.
 */
public final class Method {
  public static final int BINDING = 0x001;
  public static final int ALLOCATE = 0x003;
  public static final int REFRESH = 0x004;
  public static final int SEND = 0x006;
  public static final int DATA = 0x007;
  public static final int CREATE_PERMISSION = 0x008;
  public static final int CHANNEL_BIND = 0x009;

  private Method() {}

  /** A readable name for logs and metric tags. */
  public static String name(int method) {
    switch (method) {
      case BINDING: return "binding";
      case ALLOCATE: return "allocate";
      case REFRESH: return "refresh";
      case SEND: return "send";
      case DATA: return "data";
      case CREATE_PERMISSION: return "create_permission";
      case CHANNEL_BIND: return "channel_bind";
      default: return "unknown";
    }
  }
}
