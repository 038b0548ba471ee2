package org.parley.turn.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An inclusive range of IP addresses of one family, written as a single address ({@code 10.0.0.1}), a CIDR block
 * ({@code 10.0.0.0/8}, {@code fc00::/7}) or coturn's {@code first-last} form ({@code 10.0.0.1-10.0.0.9}).
 */
public final class IpRange {
  private final byte[] first;
  private final byte[] last;
  private final String text;

  private IpRange(byte[] first, byte[] last, String text) {
    if (first.length != last.length) {
      throw new IllegalArgumentException("range mixes IPv4 and IPv6: " + text);
    }
    if (new BigInteger(1, first).compareTo(new BigInteger(1, last)) > 0) {
      throw new IllegalArgumentException("range start is after its end: " + text);
    }
    this.first = first;
    this.last = last;
    this.text = text;
  }

  public static IpRange parse(String text) {
    String s = text.trim();
    try {
      int slash = s.indexOf('/');
      if (slash >= 0) {
        byte[] base = literal(s.substring(0, slash));
        int prefix = Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > base.length * 8) {
          throw new IllegalArgumentException("bad prefix length in " + text);
        }
        byte[] lo = base.clone();
        byte[] hi = base.clone();
        for (int bit = prefix; bit < base.length * 8; bit++) {
          lo[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
          hi[bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        return new IpRange(lo, hi, s);
      }
      int dash = s.indexOf('-');
      if (dash > 0) {
        return new IpRange(literal(s.substring(0, dash)), literal(s.substring(dash + 1)), s);
      }
      byte[] one = literal(s);
      return new IpRange(one, one, s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IP range: " + text);
    }
  }

  /** Parses an IP literal without DNS; IPv4-mapped IPv6 stays 16 bytes. */
  private static byte[] literal(String s) {
    String t = s.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty() || !(t.contains(":") || t.matches("[0-9.]+"))) {
      throw new IllegalArgumentException("not an IP address: " + s);
    }
    try {
      byte[] b = InetAddress.getByName(t).getAddress();
      if (t.contains(":") && b.length == 4) {
        // Java folds ::ffff:a.b.c.d into IPv4; keep the IPv6 form the user wrote.
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(b, 0, v6, 12, 4);
        return v6;
      }
      return b;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + s);
    }
  }

  public boolean contains(byte[] address) {
    if (address.length != first.length) {
      return false;
    }
    return Arrays.compareUnsigned(address, first) >= 0 && Arrays.compareUnsigned(address, last) <= 0;
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange && Arrays.equals(first, ((IpRange) o).first) && Arrays.equals(last, ((IpRange) o).last);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(first) + Arrays.hashCode(last);
  }

  @Override
  public String toString() {
    return text;
  }
}
