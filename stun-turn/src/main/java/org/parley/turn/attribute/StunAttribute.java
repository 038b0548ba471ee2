package org.parley.turn.attribute;

import org.parley.turn.message.TransactionId;

/**
 * One STUN attribute (RFC 8489 section 14): a 16-bit type and a value. Implementations are immutable; the encoder
 * adds the type, the length and the padding to a multiple of 4 bytes.
 */
public interface StunAttribute {
  /** The attribute type from the IANA registry, see {@link AttributeType}. */
  int type();

  /** The value bytes without padding. XOR-ed address attributes need the message's transaction ID. */
  byte[] encodeValue(TransactionId transactionId);

  /** Types 0x0000-0x7FFF are comprehension-required (RFC 8489 section 14). */
  static boolean isComprehensionRequired(int type) {
    return (type & 0x8000) == 0;
  }
}
