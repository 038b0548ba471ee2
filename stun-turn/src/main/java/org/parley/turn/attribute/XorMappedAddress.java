package org.parley.turn.attribute;

import java.net.InetSocketAddress;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2): the client's reflexive transport address. */
public record XorMappedAddress(InetSocketAddress address) implements StunAttribute {
  public XorMappedAddress {
    Addresses.requireIp(address);
  }

  @Override
  public int type() {
    return AttributeType.XOR_MAPPED_ADDRESS;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Addresses.encode(address, true, transactionId);
  }

  static XorMappedAddress decode(byte[] buf, int off, int len, TransactionId tid) throws StunParseException {
    return new XorMappedAddress(Addresses.decode(buf, off, len, true, tid));
  }
}
