package org.parley.server.auth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The network a client address belongs to, for limits: an IPv4 /24 or an IPv6 /64. One attacker holds many
 * addresses of one network (an IPv6 host usually owns a whole /64), so per-address limits multiply by what it can
 * bind; per-network ones do not. A carrier-grade NAT shares one address among many people; a /24 costs them no
 * more than one address does.
 */
public final class NetworkKey {

  /** Literal addresses only: never a DNS look-up for whatever the socket layer reported. */
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%[\\w.-]+)?");

  private NetworkKey() {}

  public static String of(String address) {
    if (address == null || !LITERAL.matcher(address).matches()) {
      return String.valueOf(address);
    }
    try {
      InetAddress ip = InetAddress.getByName(address.contains("%") ? address.substring(0, address.indexOf('%'))
          : address);
      byte[] b = ip.getAddress();
      if (ip instanceof Inet4Address) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
      }
      if (ip instanceof Inet6Address) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
          prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
      }
    } catch (UnknownHostException notALiteral) {
      // fall through: the address itself is the key
    }
    return address;
  }
}
