package org.parley.turn.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.turn.attribute.AttributeType;
import org.parley.turn.attribute.StunAttribute;

/**
 * A STUN message (RFC 8489 section 5): type, transaction ID and attributes in order. Immutable. A decoded message
 * also keeps its bytes, so MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT can be verified against
 * exactly what was received.
 */
public final class StunMessage {
  /** The fixed value of bytes 4-7 (RFC 8489 section 5). */
  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int HEADER_LENGTH = 20;

  private final MessageType type;
  private final TransactionId transactionId;
  private final List<StunAttribute> attributes;
  private final byte[] raw;
  private final int[] offsets;

  StunMessage(MessageType type, TransactionId transactionId, List<StunAttribute> attributes, byte[] raw,
      int[] offsets) {
    this.type = Objects.requireNonNull(type, "type");
    this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
    this.attributes = List.copyOf(attributes);
    this.raw = raw;
    this.offsets = offsets;
  }

  public static Builder builder(MessageType type, TransactionId transactionId) {
    return new Builder(type, transactionId);
  }

  public MessageType type() {
    return type;
  }

  public int method() {
    return type.method();
  }

  public MessageClass messageClass() {
    return type.messageClass();
  }

  public TransactionId transactionId() {
    return transactionId;
  }

  public List<StunAttribute> attributes() {
    return attributes;
  }

  /** The first attribute of this class; RFC 8489 section 14 says later duplicates are ignored. */
  public <T extends StunAttribute> Optional<T> get(Class<T> cls) {
    for (StunAttribute a : attributes) {
      if (cls.isInstance(a)) {
        return Optional.of(cls.cast(a));
      }
    }
    return Optional.empty();
  }

  /** Every attribute of this class, in order (XOR-PEER-ADDRESS may repeat in CreatePermission). */
  public <T extends StunAttribute> List<T> getAll(Class<T> cls) {
    List<T> out = new ArrayList<>();
    for (StunAttribute a : attributes) {
      if (cls.isInstance(a)) {
        out.add(cls.cast(a));
      }
    }
    return out;
  }

  public boolean has(int attributeType) {
    return indexOf(attributeType) >= 0;
  }

  /** The received bytes, if this message was decoded. */
  public Optional<byte[]> raw() {
    return raw == null ? Optional.empty() : Optional.of(raw.clone());
  }

  /**
   * Verifies MESSAGE-INTEGRITY (RFC 8489 section 14.5) with the given key. False when the message was not decoded,
   * has no MESSAGE-INTEGRITY, or the HMAC does not match.
   */
  public boolean verifyMessageIntegrity(byte[] key) {
    return verifyHmac(AttributeType.MESSAGE_INTEGRITY, key, false);
  }

  /** Verifies MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6), comparing the (possibly truncated) leading bytes. */
  public boolean verifyMessageIntegritySha256(byte[] key) {
    return verifyHmac(AttributeType.MESSAGE_INTEGRITY_SHA256, key, true);
  }

  /** Verifies FINGERPRINT (RFC 8489 section 14.7). False if absent or wrong. */
  public boolean verifyFingerprint() {
    int i = indexOf(AttributeType.FINGERPRINT);
    if (i < 0 || raw == null) {
      return false;
    }
    int at = offsets[i];
    byte[] copy = Arrays.copyOf(raw, at);
    int lengthField = at + 8 - HEADER_LENGTH;
    copy[2] = (byte) (lengthField >> 8);
    copy[3] = (byte) lengthField;
    int expected = Crypto.fingerprint(copy, 0, at);
    int actual = ((raw[at + 4] & 0xFF) << 24) | ((raw[at + 5] & 0xFF) << 16) | ((raw[at + 6] & 0xFF) << 8)
        | (raw[at + 7] & 0xFF);
    return expected == actual;
  }

  private boolean verifyHmac(int attributeType, byte[] key, boolean sha256) {
    int i = indexOf(attributeType);
    if (i < 0 || raw == null) {
      return false;
    }
    int at = offsets[i];
    int valueLength = ((raw[at + 2] & 0xFF) << 8) | (raw[at + 3] & 0xFF);
    byte[] copy = Arrays.copyOf(raw, at);
    int lengthField = at + 4 + valueLength - HEADER_LENGTH;
    copy[2] = (byte) (lengthField >> 8);
    copy[3] = (byte) lengthField;
    byte[] mac = sha256 ? Crypto.hmacSha256(key, copy, 0, at) : Crypto.hmacSha1(key, copy, 0, at);
    byte[] received = Arrays.copyOfRange(raw, at + 4, at + 4 + valueLength);
    return Crypto.constantTimeEquals(Arrays.copyOf(mac, valueLength), received);
  }

  private int indexOf(int attributeType) {
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.get(i).type() == attributeType) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return type + " " + transactionId + " " + attributes;
  }

  /**
   * Collects attributes for a message to encode; MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT are added by the
   * encoder.
   */
  public static final class Builder {
    private final MessageType type;
    private final TransactionId transactionId;
    private final List<StunAttribute> attributes = new ArrayList<>();

    private Builder(MessageType type, TransactionId transactionId) {
      this.type = type;
      this.transactionId = transactionId;
    }

    public Builder add(StunAttribute attribute) {
      int t = attribute.type();
      if (t == AttributeType.MESSAGE_INTEGRITY || t == AttributeType.MESSAGE_INTEGRITY_SHA256
          || t == AttributeType.FINGERPRINT) {
        throw new IllegalArgumentException("integrity and fingerprint attributes are computed by StunEncoder");
      }
      attributes.add(Objects.requireNonNull(attribute));
      return this;
    }

    public Builder addAll(List<? extends StunAttribute> list) {
      list.forEach(this::add);
      return this;
    }

    public StunMessage build() {
      return new StunMessage(type, transactionId, attributes, null, null);
    }
  }
}
