package org.parley.turn.testing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;

/** IP literals for tests. Java folds {@code ::ffff:a.b.c.d} into an IPv4 address; this keeps it IPv6. */
public final class Ips {
  private Ips() {}

  public static InetAddress ip(String literal) {
    try {
      InetAddress a = InetAddress.getByName(literal);
      if (literal.contains(":") && a.getAddress().length == 4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(a.getAddress(), 0, v6, 12, 4);
        return Inet6Address.getByAddress(null, v6, -1);
      }
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** This machine's first IPv4 address on an up, non-loopback interface; tests that need one fail without it. */
  public static InetAddress firstNonLoopbackIpv4() throws SocketException {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && !nif.isLoopback()) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    throw new IllegalStateException("this test needs an IPv4 address on a non-loopback interface");
  }
}
