package org.parley.turn.attribute;

import java.net.InetSocketAddress;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** MAPPED-ADDRESS (RFC 8489 section 14.1): the reflexive address, not XOR-ed (RFC 3489 clients). */
public record MappedAddress(InetSocketAddress address) implements StunAttribute {
  public MappedAddress {
    Addresses.requireIp(address);
  }

  @Override
  public int type() {
    return AttributeType.MAPPED_ADDRESS;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Addresses.encode(address, false, transactionId);
  }

  static MappedAddress decode(byte[] buf, int off, int len, TransactionId tid) throws StunParseException {
    return new MappedAddress(Addresses.decode(buf, off, len, false, tid));
  }
}
