package org.parley.turn.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;
import org.parley.turn.testing.Ips;

/**
 * One byte fixture per attribute: the value bytes (without the 4-byte type/length header and without padding) as
 * the RFC section cited lays them out. Each fixture must decode to the object and the object must encode to it.
 */
class AttributeFixturesTest {
  /** Transaction ID of RFC 5769 section 2.1-2.3. */
  static final TransactionId TID = TransactionId.of(HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae"));

  static InetSocketAddress addr(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> fixtures() {
    return Stream.of(
        // XOR-MAPPED-ADDRESS, RFC 8489 s14.2: 00 | family 01 | port 32853^0x2112=0xa147 | 192.0.2.1^0x2112a442
        Arguments.of(AttributeType.XOR_MAPPED_ADDRESS, "0001a147e112a643",
            new XorMappedAddress(addr("192.0.2.1", 32853))),
        // XOR-MAPPED-ADDRESS IPv6 (RFC 5769 s2.3): address XOR cookie||transaction ID
        Arguments.of(AttributeType.XOR_MAPPED_ADDRESS, "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9",
            new XorMappedAddress(addr("2001:db8:1234:5678:11:2233:4455:6677", 32853))),
        // XOR-PEER-ADDRESS, RFC 8656 s18.3: same encoding; 198.51.100.5:3480 (0x0d98 ^ 0x2112 = 0x2c8a)
        Arguments.of(AttributeType.XOR_PEER_ADDRESS, "00012c8ae721c047",
            new XorPeerAddress(addr("198.51.100.5", 3480))),
        // XOR-RELAYED-ADDRESS, RFC 8656 s18.5: 203.0.113.9:50000 (0xc350 ^ 0x2112 = 0xe242)
        Arguments.of(AttributeType.XOR_RELAYED_ADDRESS, "0001e242ea12d54b",
            new XorRelayedAddress(addr("203.0.113.9", 50000))),
        // MAPPED-ADDRESS, RFC 8489 s14.1: not XOR-ed
        Arguments.of(AttributeType.MAPPED_ADDRESS, "00010d98c0000201", new MappedAddress(addr("192.0.2.1", 3480))),
        // USERNAME s14.3 / REALM s14.9 / NONCE s14.10 / SOFTWARE s14.14: UTF-8 text
        Arguments.of(AttributeType.USERNAME, "6576746a3a68367659", new Username("evtj:h6vY")),
        Arguments.of(AttributeType.REALM, "6578616d706c652e6f7267", new Realm("example.org")),
        Arguments.of(AttributeType.NONCE, "6e6f6e6365", new Nonce("nonce")),
        Arguments.of(AttributeType.SOFTWARE, "7465737420766563746f72", new Software("test vector")),
        // ERROR-CODE s14.8: 21 zero bits, class 4, number 38, "Stale Nonce"
        Arguments.of(AttributeType.ERROR_CODE, "00000426" + hex("Stale Nonce"), new ErrorCode(438, "Stale Nonce")),
        // UNKNOWN-ATTRIBUTES s14.13: list of 16-bit types
        Arguments.of(AttributeType.UNKNOWN_ATTRIBUTES, "00310032", new UnknownAttributes(List.of(0x31, 0x32))),
        // CHANNEL-NUMBER, RFC 8656 s18.1: number, RFFU
        Arguments.of(AttributeType.CHANNEL_NUMBER, "40010000", new ChannelNumber(0x4001)),
        // LIFETIME, RFC 8656 s18.2: seconds, 600 = 0x258
        Arguments.of(AttributeType.LIFETIME, "00000258", new Lifetime(600)),
        // DATA, RFC 8656 s18.4: opaque
        Arguments.of(AttributeType.DATA, "010203", new Data(new byte[] {1, 2, 3})),
        // REQUESTED-ADDRESS-FAMILY s18.6: 0x02 IPv6, RFFU
        Arguments.of(AttributeType.REQUESTED_ADDRESS_FAMILY, "02000000", new RequestedAddressFamily(2)),
        // REQUESTED-TRANSPORT s18.7: 17 (UDP), RFFU
        Arguments.of(AttributeType.REQUESTED_TRANSPORT, "11000000", new RequestedTransport(17)),
        // EVEN-PORT s18.8: R bit is the top bit of one byte
        Arguments.of(AttributeType.EVEN_PORT, "80", new EvenPort(true)),
        Arguments.of(AttributeType.EVEN_PORT, "00", new EvenPort(false)),
        // RESERVATION-TOKEN s18.9: 8 bytes
        Arguments.of(AttributeType.RESERVATION_TOKEN, "0102030405060708", new ReservationToken(0x0102030405060708L)),
        // DONT-FRAGMENT s18.10: no value
        Arguments.of(AttributeType.DONT_FRAGMENT, "", new DontFragment()),
        // MESSAGE-INTEGRITY s14.5 (value from RFC 5769 s2.2)
        Arguments.of(AttributeType.MESSAGE_INTEGRITY, "2b91f599fd9e90c38c7489f92af9ba53f06be7d7",
            new MessageIntegrity(HexFormat.of().parseHex("2b91f599fd9e90c38c7489f92af9ba53f06be7d7"))),
        // MESSAGE-INTEGRITY-SHA256 s14.6: 32 bytes here (16..32 allowed)
        Arguments.of(AttributeType.MESSAGE_INTEGRITY_SHA256, "00".repeat(31) + "01",
            new MessageIntegritySha256(HexFormat.of().parseHex("00".repeat(31) + "01"))),
        // FINGERPRINT s14.7 (value from RFC 5769 s2.2)
        Arguments.of(AttributeType.FINGERPRINT, "c07d4c96", new Fingerprint(0xc07d4c96)),
        // PRIORITY / ICE-CONTROLLED (RFC 8445 s7.1), values from RFC 5769 s2.1
        Arguments.of(AttributeType.PRIORITY, "6e0001ff", new Priority(0x6e0001ffL)),
        Arguments.of(AttributeType.ICE_CONTROLLED, "932ff9b151263b36", new IceControlled(0x932ff9b151263b36L)),
        Arguments.of(AttributeType.ICE_CONTROLLING, "0000000000000001", new IceControlling(1)),
        Arguments.of(AttributeType.USE_CANDIDATE, "", new UseCandidate()),
        // anything else stays raw
        Arguments.of(0x8031, "abcd", new UnknownAttribute(0x8031, new byte[] {(byte) 0xab, (byte) 0xcd})));
  }

  static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("fixtures")
  void decodesAndEncodesItsFixture(int type, String valueHex, StunAttribute expected) throws Exception {
    byte[] value = HexFormat.of().parseHex(valueHex);
    StunAttribute decoded = AttributeDecoder.decode(type, value, 0, value.length, TID);
    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.type()).isEqualTo(type);
    assertThat(HexFormat.of().formatHex(expected.encodeValue(TID))).isEqualTo(valueHex);
  }

  @Test
  void ipv4MappedPeerAddressStaysIpv6() throws Exception {
    // family 02 with ::ffff:127.0.0.1 must not silently become IPv4 127.0.0.1 (that would hide it from policy)
    XorPeerAddress a = new XorPeerAddress(new InetSocketAddress(Ips.ip("::ffff:127.0.0.1"), 9));
    byte[] v = a.encodeValue(TID);
    assertThat(v[1]).isEqualTo((byte) 2);
    XorPeerAddress back = (XorPeerAddress) AttributeDecoder.decode(AttributeType.XOR_PEER_ADDRESS, v, 0, v.length,
        TID);
    assertThat(back.address().getAddress().getAddress()).hasSize(16);
  }

  @Test
  void malformedValuesAreParseErrors() {
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.XOR_MAPPED_ADDRESS,
        HexFormat.of().parseHex("0003a147e112a643"), 0, 8, TID)).isInstanceOf(StunParseException.class)
        .hasMessageContaining("family");
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.XOR_MAPPED_ADDRESS,
        HexFormat.of().parseHex("0001a147e112"), 0, 6, TID)).isInstanceOf(StunParseException.class);
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.LIFETIME, new byte[3], 0, 3, TID))
        .isInstanceOf(StunParseException.class);
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.ERROR_CODE,
        HexFormat.of().parseHex("00000764"), 0, 4, TID)).isInstanceOf(StunParseException.class);
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.USERNAME,
        new byte[] {(byte) 0xC3, 0x28}, 0, 2, TID)).isInstanceOf(StunParseException.class)
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.MESSAGE_INTEGRITY_SHA256, new byte[12], 0, 12,
        TID)).isInstanceOf(StunParseException.class);
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.UNKNOWN_ATTRIBUTES, new byte[3], 0, 3, TID))
        .isInstanceOf(StunParseException.class);
    assertThatThrownBy(() -> AttributeDecoder.decode(AttributeType.DONT_FRAGMENT, new byte[1], 0, 1, TID))
        .isInstanceOf(StunParseException.class);
  }

  @Test
  void constructorsRejectOutOfRangeValues() {
    assertThatThrownBy(() -> new ErrorCode(700, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Lifetime(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChannelNumber(0x10000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Software("x".repeat(800))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MessageIntegrity(new byte[19])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void channelNumberRanges() {
    assertThat(new ChannelNumber(0x4000).isValid()).isTrue();
    assertThat(new ChannelNumber(0x4FFF).isRfc8656()).isTrue();
    assertThat(new ChannelNumber(0x5000).isRfc8656()).isFalse();
    assertThat(new ChannelNumber(0x7FFF).isValid()).isTrue(); // RFC 5766 range, used by coturn's uclient
    assertThat(new ChannelNumber(0x3FFF).isValid()).isFalse();
    assertThat(new ChannelNumber(0x8000).isValid()).isFalse();
  }
}
