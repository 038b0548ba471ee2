package org.parley.turn.attribute;

import java.net.InetSocketAddress;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** XOR-RELAYED-ADDRESS (RFC 8656 section 18.5): the relayed transport address the server allocated. */
public record XorRelayedAddress(InetSocketAddress address) implements StunAttribute {
  public XorRelayedAddress {
    Addresses.requireIp(address);
  }

  @Override
  public int type() {
    return AttributeType.XOR_RELAYED_ADDRESS;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Addresses.encode(address, true, transactionId);
  }

  static XorRelayedAddress decode(byte[] buf, int off, int len, TransactionId tid) throws StunParseException {
    return new XorRelayedAddress(Addresses.decode(buf, off, len, true, tid));
  }
}
