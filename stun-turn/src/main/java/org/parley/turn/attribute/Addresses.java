package org.parley.turn.attribute;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * The shared value format of (XOR-)MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS (RFC 8489 sections 14.1
 * and 14.2): a zero byte, the family (0x01 IPv4, 0x02 IPv6), the port, then 4 or 16 address bytes. The XOR forms XOR
 * the port with the 16 most significant bits of the magic cookie, an IPv4 address with the cookie, and an IPv6
 * address with the cookie followed by the transaction ID.
 */
final class Addresses {
  static final int MAGIC_COOKIE = 0x2112A442;
  static final int FAMILY_IPV4 = 0x01;
  static final int FAMILY_IPV6 = 0x02;

  private Addresses() {}

  static byte[] encode(InetSocketAddress address, boolean xor, TransactionId tid) {
    byte[] ip = address.getAddress().getAddress();
    byte[] out = new byte[4 + ip.length];
    out[1] = (byte) (ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
    int port = address.getPort();
    if (xor) {
      port ^= MAGIC_COOKIE >>> 16;
      xorAddress(ip, tid);
    }
    out[2] = (byte) (port >> 8);
    out[3] = (byte) port;
    System.arraycopy(ip, 0, out, 4, ip.length);
    return out;
  }

  static InetSocketAddress decode(byte[] buf, int off, int len, boolean xor, TransactionId tid)
      throws StunParseException {
    if (len < 4) {
      throw new StunParseException("address attribute too short: " + len);
    }
    int family = buf[off + 1] & 0xFF;
    int ipLength;
    if (family == FAMILY_IPV4) {
      ipLength = 4;
    } else if (family == FAMILY_IPV6) {
      ipLength = 16;
    } else {
      throw new StunParseException("unknown address family " + family);
    }
    if (len != 4 + ipLength) {
      throw new StunParseException("address attribute length " + len + " does not match family " + family);
    }
    int port = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    byte[] ip = new byte[ipLength];
    System.arraycopy(buf, off + 4, ip, 0, ipLength);
    if (xor) {
      port ^= MAGIC_COOKIE >>> 16;
      xorAddress(ip, tid);
    }
    return new InetSocketAddress(toInetAddress(ip), port);
  }

  /** Builds an address without letting Java turn an IPv4-mapped IPv6 address into an IPv4 one. */
  static InetAddress toInetAddress(byte[] ip) {
    try {
      return ip.length == 16 ? Inet6Address.getByAddress(null, ip, -1) : InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void xorAddress(byte[] ip, TransactionId tid) {
    for (int i = 0; i < ip.length; i++) {
      int k = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : tid.get(i - 4) & 0xFF;
      ip[i] ^= (byte) k;
    }
  }

  static void requireIp(InetSocketAddress address) {
    if (address.isUnresolved()
        || !(address.getAddress() instanceof Inet4Address || address.getAddress() instanceof Inet6Address)) {
      throw new IllegalArgumentException("need a resolved IP socket address: " + address);
    }
  }
}
