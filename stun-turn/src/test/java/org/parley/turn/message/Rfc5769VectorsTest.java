package org.parley.turn.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.turn.attribute.AttributeType;
import org.parley.turn.attribute.Fingerprint;
import org.parley.turn.attribute.IceControlled;
import org.parley.turn.attribute.MessageIntegrity;
import org.parley.turn.attribute.Nonce;
import org.parley.turn.attribute.Priority;
import org.parley.turn.attribute.Realm;
import org.parley.turn.attribute.Software;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.attribute.Username;
import org.parley.turn.attribute.XorMappedAddress;
import org.parley.turn.auth.LongTermKey;

/**
 * The four sample messages of RFC 5769 section 2, read from test resources (copied from shared/testdata/rfc5769).
 * Each must decode, verify MESSAGE-INTEGRITY and FINGERPRINT, and re-encode byte for byte from its typed attributes.
 * RFC 5769 pads with spaces (0x20) in 2.1-2.3 and with zeros in 2.4; RFC 8489 section 14 lets padding be any value,
 * so the encoder is given the vector's padding byte.
 */
class Rfc5769VectorsTest {
  private static final byte[] SHORT_TERM_KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TID_2_1_TO_2_3 = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

  static byte[] vector(String name) throws IOException {
    try (InputStream in = Rfc5769VectorsTest.class.getResourceAsStream("/rfc5769/" + name)) {
      assertThat(in).as("test resource /rfc5769/" + name).isNotNull();
      return in.readAllBytes();
    }
  }

  /**
   * RFC 5769 section 2.1, sample request (108 bytes):
   * 00 01 00 58        Binding request (RFC 8489 s5), message length 0x58 = 88
   * 21 12 a4 42        magic cookie
   * b7 e7 a7 01 bc 34 d6 86 fa 87 df ae   transaction ID
   * 80 22 00 10 "STUN test client"        SOFTWARE, 16 bytes (s14.14)
   * 00 24 00 04 6e 00 01 ff               PRIORITY 0x6e0001ff (RFC 8445 s7.1.1)
   * 80 29 00 08 93 2f f9 b1 51 26 3b 36   ICE-CONTROLLED tie-breaker (RFC 8445 s7.1.3)
   * 00 06 00 09 "evtj:h6vY" 20 20 20      USERNAME, 9 bytes + 3 bytes of padding (spaces) (s14.3)
   * 00 08 00 14 9a ea ... c1 b5 71 a2     MESSAGE-INTEGRITY, HMAC-SHA1 with the short-term password (s14.5)
   * 80 28 00 04 e5 7a 3b cf               FINGERPRINT, CRC-32 ^ 0x5354554e (s14.7)
   */
  @Test
  void sampleRequest_2_1() throws Exception {
    byte[] bytes = vector("2.1.bin");
    assertThat(bytes).hasSize(108);
    StunMessage m = StunDecoder.decode(bytes);

    assertThat(m.type()).isEqualTo(MessageType.request(Method.BINDING));
    assertThat(m.transactionId()).isEqualTo(TransactionId.of(TID_2_1_TO_2_3));
    assertThat(m.attributes()).extracting(StunAttribute::type).containsExactly(
        AttributeType.SOFTWARE, AttributeType.PRIORITY, AttributeType.ICE_CONTROLLED, AttributeType.USERNAME,
        AttributeType.MESSAGE_INTEGRITY, AttributeType.FINGERPRINT);
    assertThat(m.get(Software.class)).contains(new Software("STUN test client"));
    assertThat(m.get(Priority.class)).contains(new Priority(0x6e0001ffL));
    assertThat(m.get(IceControlled.class)).contains(new IceControlled(0x932ff9b151263b36L));
    assertThat(m.get(Username.class)).contains(new Username("evtj:h6vY"));
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
    assertThat(m.verifyMessageIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(m.verifyFingerprint()).isTrue();

    assertReencodes(m, bytes, SHORT_TERM_KEY, (byte) 0x20, true);
  }

  /**
   * RFC 5769 section 2.2, sample IPv4 response (80 bytes):
   * 01 01 00 3c        Binding success response, length 60
   * 21 12 a4 42 + transaction ID as in 2.1
   * 80 22 00 0b "test vector" 20           SOFTWARE, 11 bytes + 1 byte padding (space)
   * 00 20 00 08 00 01 a1 47 e1 12 a6 43    XOR-MAPPED-ADDRESS: family IPv4, port 0xa147 ^ 0x2112 = 32853,
   *                                        address e112a643 ^ 2112a442 = c0000201 = 192.0.2.1 (s14.2)
   * 00 08 00 14 2b 91 ... e7 d7            MESSAGE-INTEGRITY
   * 80 28 00 04 c0 7d 4c 96                FINGERPRINT
   */
  @Test
  void sampleIpv4Response_2_2() throws Exception {
    byte[] bytes = vector("2.2.bin");
    StunMessage m = StunDecoder.decode(bytes);

    assertThat(m.type()).isEqualTo(MessageType.success(Method.BINDING));
    assertThat(m.get(Software.class)).contains(new Software("test vector"));
    assertThat(m.get(XorMappedAddress.class).orElseThrow().address())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
    assertThat(m.verifyFingerprint()).isTrue();

    assertReencodes(m, bytes, SHORT_TERM_KEY, (byte) 0x20, true);
  }

  /**
   * RFC 5769 section 2.3, sample IPv6 response (92 bytes):
   * 01 01 00 48        Binding success response, length 72
   * 80 22 00 0b "test vector" 20           SOFTWARE
   * 00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
   *                                        XOR-MAPPED-ADDRESS: family IPv6, port 32853, address XOR-ed with the
   *                                        cookie and the transaction ID = 2001:db8:1234:5678:11:2233:4455:6677
   * 00 08 00 14 a3 82 ... ed 41            MESSAGE-INTEGRITY
   * 80 28 00 04 c8 fb 0b 4c                FINGERPRINT
   */
  @Test
  void sampleIpv6Response_2_3() throws Exception {
    byte[] bytes = vector("2.3.bin");
    StunMessage m = StunDecoder.decode(bytes);

    assertThat(m.get(XorMappedAddress.class).orElseThrow().address()).isEqualTo(
        new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
    assertThat(m.verifyFingerprint()).isTrue();

    assertReencodes(m, bytes, SHORT_TERM_KEY, (byte) 0x20, true);
  }

  /**
   * RFC 5769 section 2.4, sample request with long-term authentication (116 bytes):
   * 00 01 00 60        Binding request, length 96
   * 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e   cookie, transaction ID
   * 00 06 00 12 e3 83 9e ... e3 82 b9 00 00   USERNAME: 6 katakana, 18 bytes of UTF-8 + 2 bytes padding (zeros)
   * 00 15 00 1c "f//499k954d6OL34oL9FSTvy64sA" NONCE, 28 bytes (s14.10)
   * 00 14 00 0b "example.org" 00             REALM, 11 bytes + 1 byte padding (s14.9)
   * 00 08 00 14 f6 70 ... 96 66              MESSAGE-INTEGRITY with key MD5(username ":" realm ":" password)
   *                                          (RFC 8489 s9.2.2); no FINGERPRINT.
   */
  @Test
  void sampleLongTermRequest_2_4() throws Exception {
    byte[] bytes = vector("2.4.bin");
    StunMessage m = StunDecoder.decode(bytes);
    String user = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    assertThat(m.type()).isEqualTo(MessageType.request(Method.BINDING));
    assertThat(m.get(Username.class)).contains(new Username(user));
    assertThat(m.get(Nonce.class)).contains(new Nonce("f//499k954d6OL34oL9FSTvy64sA"));
    assertThat(m.get(Realm.class)).contains(new Realm("example.org"));
    assertThat(m.has(AttributeType.FINGERPRINT)).isFalse();
    byte[] key = LongTermKey.md5(user, "example.org", "TheMatrIX");
    assertThat(m.verifyMessageIntegrity(key)).isTrue();
    assertThat(m.verifyMessageIntegrity(LongTermKey.md5(user, "example.org", "TheMatrix"))).isFalse();
    assertThat(m.verifyFingerprint()).isFalse();

    assertReencodes(m, bytes, key, (byte) 0, false);
  }

  @Test
  void flippingAnyBitBreaksIntegrityOrFingerprintOrParsing() throws Exception {
    byte[] bytes = vector("2.1.bin");
    for (int i = 0; i < bytes.length; i++) {
      byte[] copy = bytes.clone();
      copy[i] ^= 0x01;
      StunMessage m;
      try {
        m = StunDecoder.decode(copy);
      } catch (StunParseException e) {
        continue;
      }
      boolean intact = m.verifyMessageIntegrity(SHORT_TERM_KEY) && m.verifyFingerprint();
      // Bytes of the USERNAME padding are covered by the HMAC too, so every flip must be detected.
      assertThat(intact).as("flip at byte %d detected", i).isFalse();
    }
  }

  private static void assertReencodes(StunMessage m, byte[] original, byte[] key, byte pad, boolean fingerprint) {
    List<StunAttribute> plain = m.attributes().stream()
        .filter(a -> !(a instanceof MessageIntegrity) && !(a instanceof Fingerprint))
        .toList();
    StunMessage rebuilt = StunMessage.builder(m.type(), m.transactionId()).addAll(plain).build();
    Protection p = Protection.integrity(key).withFingerprint(fingerprint).withPadding(pad);
    assertThat(HexFormat.of().formatHex(StunEncoder.encode(rebuilt, p)))
        .isEqualTo(HexFormat.of().formatHex(original));
  }
}
