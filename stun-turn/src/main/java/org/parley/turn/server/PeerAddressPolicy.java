package org.parley.turn.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.parley.turn.api.IpRange;

/**
 * Decides which peer addresses a client may relay to (RFC 8656 section 21.3 asks servers to guard against being
 * used to reach internal hosts). Denied by default: unspecified, loopback, RFC 1918 and other private or reserved
 * IPv4 blocks, link-local (which holds the cloud metadata address 169.254.169.254), multicast, IPv6 unique-local,
 * link-local, multicast, site-local, the 6to4, Teredo, local-use NAT64 and IPv4-translated prefixes (which reach
 * IPv4 hosts a relay should not), the AWS IPv6 metadata address; and every one of them in IPv4-mapped
 * ({@code ::ffff:127.0.0.1}), IPv4-compatible and NAT64 ({@code 64:ff9b::/96}) form, which are checked as the
 * IPv4 address they embed. {@code allowLoopback} lifts the loopback ban; {@code allowed} ranges lift any ban;
 * {@code denied} ranges add bans. The server's own (non-loopback) addresses are peers only at a port that relays
 * for a live allocation, so two clients that both relay through this server reach each other while nobody can
 * bounce traffic off the server's other ports. Immutable and thread-safe.
 */
public final class PeerAddressPolicy {
  static final List<String> DEFAULT_DENIED = List.of(
      "0.0.0.0/8",          // "this network", includes the unspecified 0.0.0.0 (RFC 1122)
      "10.0.0.0/8",         // private (RFC 1918)
      "100.64.0.0/10",      // shared address space / carrier-grade NAT (RFC 6598)
      "169.254.0.0/16",     // link-local (RFC 3927), includes the metadata address
      "169.254.169.254",    // cloud instance metadata, named explicitly
      "172.16.0.0/12",      // private (RFC 1918)
      "192.0.0.0/24",       // IETF protocol assignments (RFC 6890)
      "192.168.0.0/16",     // private (RFC 1918)
      "198.18.0.0/15",      // benchmarking (RFC 2544)
      "224.0.0.0/4",        // multicast
      "240.0.0.0/4",        // reserved, includes 255.255.255.255 broadcast
      "::/128",             // unspecified
      "fc00::/7",           // unique local (RFC 4193)
      "fe80::/10",          // link-local
      "ff00::/8",           // multicast
      "fec0::/10",          // site-local, deprecated (RFC 3879) but still routed inside some sites
      "2002::/16",          // 6to4 (deprecated, RFC 7526): embeds an IPv4 address a relay would reach
      "2001::/32",          // Teredo (RFC 4380): embeds an obfuscated IPv4 address and port
      "64:ff9b:1::/48",     // local-use NAT64 (RFC 8215): the operator's own translated networks
      "::ffff:0:0:0/96",    // IPv4-translated (SIIT, RFC 2765): ::ffff:0:a.b.c.d
      "fd00:ec2::254");     // AWS IPv6 instance metadata (inside fc00::/7 already; kept explicit)
  static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1");

  private final List<IpRange> denied;
  private final List<IpRange> allowed;
  private final Set<InetAddress> own;

  public PeerAddressPolicy(boolean allowLoopback, List<IpRange> extraDenied, List<IpRange> allowed) {
    this(allowLoopback, extraDenied, allowed, Set.of());
  }

  /** @param own the server's own addresses (listening, relay, advertised); loopback and wildcard ones are ignored */
  public PeerAddressPolicy(boolean allowLoopback, List<IpRange> extraDenied, List<IpRange> allowed,
      Set<InetAddress> own) {
    List<IpRange> d = new ArrayList<>();
    DEFAULT_DENIED.forEach(s -> d.add(IpRange.parse(s)));
    if (!allowLoopback) {
      LOOPBACK.forEach(s -> d.add(IpRange.parse(s)));
    }
    d.addAll(extraDenied);
    this.denied = List.copyOf(d);
    this.allowed = List.copyOf(allowed);
    this.own = own.stream().filter(a -> !a.isAnyLocalAddress() && !a.isLoopbackAddress())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * True if data may be relayed to this transport address: its IP is permitted and, if it is one of the server's
   * own, {@code isRelayPort} says the port belongs to a live allocation.
   */
  public boolean permits(InetSocketAddress peer, IntPredicate isRelayPort) {
    return isOwn(peer.getAddress()) ? isRelayPort.test(peer.getPort()) : permits(peer.getAddress());
  }

  /** True for the server's own non-loopback addresses. */
  public boolean isOwn(InetAddress ip) {
    return own.contains(ip);
  }

  /** True if data may be relayed to this address. */
  public boolean permits(InetAddress peer) {
    byte[] raw = peer.getAddress();
    byte[] embedded = embeddedIpv4(raw);
    // An explicit allow wins over the defaults and --denied-peer-ip, as in coturn.
    if (matches(allowed, raw) || (embedded != null && matches(allowed, embedded))) {
      return true;
    }
    if (matches(denied, raw)) {
      return false;
    }
    return embedded == null || !matches(denied, embedded);
  }

  private static boolean matches(List<IpRange> ranges, byte[] address) {
    for (IpRange r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d (deprecated compatible form) or 64:ff9b::a.b.c.d. */
  static byte[] embeddedIpv4(byte[] a) {
    if (a.length != 16) {
      return null;
    }
    boolean first10Zero = true;
    for (int i = 0; i < 10; i++) {
      first10Zero &= a[i] == 0;
    }
    boolean mapped = first10Zero && a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    // The compatible form ::a.b.c.d with a != 0 (so ::1 and :: are not read as 0.0.0.x).
    boolean compatible = first10Zero && a[10] == 0 && a[11] == 0 && a[12] != 0;
    boolean nat64 = a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xFF && a[3] == (byte) 0x9B;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = a[i] == 0;
    }
    if (!(mapped || compatible || nat64)) {
      return null;
    }
    byte[] v4 = new byte[4];
    System.arraycopy(a, 12, v4, 0, 4);
    return v4;
  }
}
