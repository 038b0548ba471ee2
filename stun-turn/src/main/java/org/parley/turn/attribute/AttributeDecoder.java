package org.parley.turn.attribute;

import java.util.Arrays;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * Turns one attribute's type and value bytes into its immutable class; unmodelled types become
 * {@link UnknownAttribute}.
 */
public final class AttributeDecoder {
  private AttributeDecoder() {}

  /** Decodes the value at {@code buf[off..off+len)} (without padding). */
  public static StunAttribute decode(int type, byte[] buf, int off, int len, TransactionId tid)
      throws StunParseException {
    switch (type) {
      case AttributeType.MAPPED_ADDRESS: return MappedAddress.decode(buf, off, len, tid);
      case AttributeType.XOR_MAPPED_ADDRESS: return XorMappedAddress.decode(buf, off, len, tid);
      case AttributeType.XOR_PEER_ADDRESS: return XorPeerAddress.decode(buf, off, len, tid);
      case AttributeType.XOR_RELAYED_ADDRESS: return XorRelayedAddress.decode(buf, off, len, tid);
      case AttributeType.USERNAME: return Username.decode(buf, off, len);
      case AttributeType.REALM: return Realm.decode(buf, off, len);
      case AttributeType.NONCE: return Nonce.decode(buf, off, len);
      case AttributeType.SOFTWARE: return Software.decode(buf, off, len);
      case AttributeType.MESSAGE_INTEGRITY: return MessageIntegrity.decode(buf, off, len);
      case AttributeType.MESSAGE_INTEGRITY_SHA256: return MessageIntegritySha256.decode(buf, off, len);
      case AttributeType.FINGERPRINT: return Fingerprint.decode(buf, off, len);
      case AttributeType.ERROR_CODE: return ErrorCode.decode(buf, off, len);
      case AttributeType.UNKNOWN_ATTRIBUTES: return UnknownAttributes.decode(buf, off, len);
      case AttributeType.CHANNEL_NUMBER: return ChannelNumber.decode(buf, off, len);
      case AttributeType.LIFETIME: return Lifetime.decode(buf, off, len);
      case AttributeType.DATA: return Data.decode(buf, off, len);
      case AttributeType.REQUESTED_TRANSPORT: return RequestedTransport.decode(buf, off, len);
      case AttributeType.REQUESTED_ADDRESS_FAMILY: return RequestedAddressFamily.decode(buf, off, len);
      case AttributeType.EVEN_PORT: return EvenPort.decode(buf, off, len);
      case AttributeType.RESERVATION_TOKEN: return ReservationToken.decode(buf, off, len);
      case AttributeType.DONT_FRAGMENT: return DontFragment.decode(len);
      case AttributeType.PRIORITY: return Priority.decode(buf, off, len);
      case AttributeType.USE_CANDIDATE: return UseCandidate.decode(len);
      case AttributeType.ICE_CONTROLLED: return IceControlled.decode(buf, off, len);
      case AttributeType.ICE_CONTROLLING: return IceControlling.decode(buf, off, len);
      default: return new UnknownAttribute(type, Arrays.copyOfRange(buf, off, off + len));
    }
  }
}
