package org.parley.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.turn.api.IpRange;
import org.parley.turn.testing.Ips;

class PeerAddressPolicyTest {
  private final PeerAddressPolicy defaults = new PeerAddressPolicy(false, List.of(), List.of());

  static InetAddress ip(String literal) {
    return Ips.ip(literal);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.255.0.9", "0.0.0.0", "0.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
      "169.254.169.254", "169.254.1.1", "100.64.0.1", "224.0.0.251", "239.255.255.250", "255.255.255.255",
      "192.0.0.1", "198.18.0.1",
      "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "fd00:ec2::254",
      "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0", "::ffff:192.168.1.1",
      "::127.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe",
      // issue #17: 6to4, Teredo, local-use NAT64, IPv4-translated and site-local
      "2002:7f00:1::1", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b:1::a00:1",
      "::ffff:0:7f00:1", "fec0::1"})
  void deniedByDefault(String literal) throws Exception {
    assertThat(defaults.permits(ip(literal))).as(literal).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "::ffff:8.8.8.8",
      "64:ff9b::808:808"})
  void publicAddressesArePermitted(String literal) throws Exception {
    assertThat(defaults.permits(ip(literal))).as(literal).isTrue();
  }

  @Test
  void ipv4MappedLoopbackStaysAnIpv6AddressInTheTest() throws Exception {
    assertThat(ip("::ffff:127.0.0.1").getAddress()).hasSize(16);
  }

  @Test
  void allowLoopbackLiftsOnlyLoopback() throws Exception {
    PeerAddressPolicy p = new PeerAddressPolicy(true, List.of(), List.of());
    assertThat(p.permits(ip("127.0.0.1"))).isTrue();
    assertThat(p.permits(ip("::1"))).isTrue();
    assertThat(p.permits(ip("::ffff:127.0.0.1"))).isTrue();
    assertThat(p.permits(ip("10.0.0.1"))).isFalse();
    assertThat(p.permits(ip("169.254.169.254"))).isFalse();
    assertThat(p.permits(ip("::"))).isFalse();
  }

  @Test
  void deniedRangesAddAndAllowedRangesOverride() throws Exception {
    PeerAddressPolicy p = new PeerAddressPolicy(false,
        List.of(IpRange.parse("203.0.113.0/24"), IpRange.parse("2001:db8::/32")),
        List.of(IpRange.parse("10.1.0.0-10.1.0.255"), IpRange.parse("203.0.113.7")));
    assertThat(p.permits(ip("203.0.113.8"))).isFalse();
    assertThat(p.permits(ip("::ffff:203.0.113.8"))).isFalse();
    assertThat(p.permits(ip("2001:db8::5"))).isFalse();
    assertThat(p.permits(ip("203.0.113.7"))).isTrue();
    assertThat(p.permits(ip("10.1.0.200"))).isTrue();
    assertThat(p.permits(ip("10.1.1.0"))).isFalse();
  }

  @Test
  void ipRangeParsing() throws Exception {
    assertThat(IpRange.parse("10.0.0.0/8").contains(ip("10.255.255.255"))).isTrue();
    assertThat(IpRange.parse("10.0.0.0/8").contains(ip("11.0.0.0"))).isFalse();
    assertThat(IpRange.parse("10.0.0.5/32").contains(ip("10.0.0.5"))).isTrue();
    assertThat(IpRange.parse("0.0.0.0/0").contains(ip("1.2.3.4"))).isTrue();
    assertThat(IpRange.parse("fe80::/10").contains(ip("febf::1"))).isTrue();
    assertThat(IpRange.parse("fe80::/10").contains(ip("fec0::1"))).isFalse();
    assertThat(IpRange.parse("[::1]").contains(ip("::1"))).isTrue();
    assertThat(IpRange.parse("1.2.3.4-1.2.3.10").contains(ip("1.2.3.7"))).isTrue();
    assertThat(IpRange.parse("10.0.0.0/8").contains(ip("::ffff:10.0.0.1"))).isFalse(); // families differ
    assertThatThrownBy(() -> IpRange.parse("example.com")).hasMessageContaining("not an IP");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.9-10.0.0.1")).hasMessageContaining("after");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.1-::1")).hasMessageContaining("mixes");
  }
}
