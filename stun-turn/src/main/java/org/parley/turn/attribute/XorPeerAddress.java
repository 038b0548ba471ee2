package org.parley.turn.attribute;

import java.net.InetSocketAddress;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** XOR-PEER-ADDRESS (RFC 8656 section 18.3): a peer's address as seen from the relay. */
public record XorPeerAddress(InetSocketAddress address) implements StunAttribute {
  public XorPeerAddress {
    Addresses.requireIp(address);
  }

  @Override
  public int type() {
    return AttributeType.XOR_PEER_ADDRESS;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Addresses.encode(address, true, transactionId);
  }

  static XorPeerAddress decode(byte[] buf, int off, int len, TransactionId tid) throws StunParseException {
    return new XorPeerAddress(Addresses.decode(buf, off, len, true, tid));
  }
}
