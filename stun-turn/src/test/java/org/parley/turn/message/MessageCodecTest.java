package org.parley.turn.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.turn.attribute.Fingerprint;
import org.parley.turn.attribute.MessageIntegrity;
import org.parley.turn.attribute.Software;
import org.parley.turn.attribute.UnknownAttribute;
import org.parley.turn.attribute.Username;

class MessageCodecTest {
  private static final TransactionId TID = TransactionId.of(HexFormat.of().parseHex("000102030405060708090a0b"));

  @Test
  void messageTypeBitsInterleaveMethodAndClass() {
    // RFC 8489 s5: Binding request 0x0001, success 0x0101, error 0x0111; RFC 8656: Allocate request 0x0003,
    // Allocate error 0x0113, Send indication 0x0016, Data indication 0x0017, ChannelBind success 0x0109.
    assertThat(MessageType.request(Method.BINDING).toBits()).isEqualTo(0x0001);
    assertThat(MessageType.success(Method.BINDING).toBits()).isEqualTo(0x0101);
    assertThat(MessageType.error(Method.BINDING).toBits()).isEqualTo(0x0111);
    assertThat(MessageType.request(Method.ALLOCATE).toBits()).isEqualTo(0x0003);
    assertThat(MessageType.error(Method.ALLOCATE).toBits()).isEqualTo(0x0113);
    assertThat(MessageType.indication(Method.SEND).toBits()).isEqualTo(0x0016);
    assertThat(MessageType.indication(Method.DATA).toBits()).isEqualTo(0x0017);
    assertThat(MessageType.success(Method.CHANNEL_BIND).toBits()).isEqualTo(0x0109);
    for (int m = 0; m <= 0xFFF; m += 0x111) {
      for (MessageClass c : MessageClass.values()) {
        MessageType t = new MessageType(m, c);
        assertThat(MessageType.fromBits(t.toBits())).isEqualTo(t);
      }
    }
  }

  @Test
  void encodesHeaderAttributesPaddingAndFingerprint() throws Exception {
    StunMessage m = StunMessage.builder(MessageType.request(Method.BINDING), TID).add(new Username("abcde")).build();
    byte[] bytes = StunEncoder.encode(m, Protection.fingerprintOnly());
    String hex = HexFormat.of().formatHex(bytes);
    // header: type 0001, length 0x14 (12 USERNAME + 8 FINGERPRINT), cookie, transaction ID
    assertThat(hex).startsWith("00010014" + "2112a442" + "000102030405060708090a0b"
        // USERNAME 0006, length 5, "abcde", 3 zero bytes of padding (RFC 8489 s14)
        + "00060005" + "6162636465" + "000000"
        // FINGERPRINT 8028, length 4
        + "80280004");
    StunMessage back = StunDecoder.decode(bytes);
    assertThat(back.verifyFingerprint()).isTrue();
    assertThat(back.get(Username.class)).contains(new Username("abcde"));
  }

  @Test
  void integrityCoversEverythingBeforeItAndLaterAttributesAreIgnored() throws Exception {
    byte[] key = "key".getBytes();
    StunMessage m = StunMessage.builder(MessageType.request(Method.BINDING), TID).add(new Software("x")).build();
    byte[] signed = StunEncoder.encode(m, Protection.integrity(key));
    // append an attribute after MESSAGE-INTEGRITY and fix the length: decoders must ignore it (RFC 8489 s14.5)
    byte[] extra = new byte[signed.length + 8];
    System.arraycopy(signed, 0, extra, 0, signed.length);
    extra[signed.length] = (byte) 0x80;
    extra[signed.length + 1] = 0x22;
    extra[signed.length + 3] = 4;
    extra[3] = (byte) (extra.length - 20);
    StunMessage decoded = StunDecoder.decode(extra);
    assertThat(decoded.attributes()).hasSize(2);
    assertThat(decoded.verifyMessageIntegrity(key)).isTrue();
  }

  @Test
  void builderRefusesComputedAttributes() {
    var b = StunMessage.builder(MessageType.request(Method.BINDING), TID);
    assertThatThrownBy(() -> b.add(new Fingerprint(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.add(new MessageIntegrity(new byte[20]))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedMessagesAreRejectedWithAReason() {
    byte[] good = StunEncoder.encode(StunMessage.builder(MessageType.request(Method.BINDING), TID)
        .add(new UnknownAttribute(0x8001, new byte[] {1})).build());
    assertThatThrownBy(() -> StunDecoder.decode(new byte[19])).hasMessageContaining("shorter");
    byte[] topBits = good.clone();
    topBits[0] = (byte) 0x40;
    assertThatThrownBy(() -> StunDecoder.decode(topBits)).hasMessageContaining("bits");
    byte[] cookie = good.clone();
    cookie[5] = 0;
    assertThatThrownBy(() -> StunDecoder.decode(cookie)).hasMessageContaining("cookie");
    byte[] oddLength = good.clone();
    oddLength[3] = 7;
    assertThatThrownBy(() -> StunDecoder.decode(oddLength)).hasMessageContaining("multiple of 4");
    byte[] overrun = good.clone();
    overrun[23] = 9; // attribute claims 9 bytes, message has 4
    assertThatThrownBy(() -> StunDecoder.decode(overrun)).hasMessageContaining("overruns");
    byte[] afterFingerprint = StunEncoder.encode(StunMessage.builder(MessageType.request(Method.BINDING), TID)
        .build(), Protection.fingerprintOnly());
    byte[] bad = new byte[afterFingerprint.length + 4];
    System.arraycopy(afterFingerprint, 0, bad, 0, afterFingerprint.length);
    bad[afterFingerprint.length] = (byte) 0x80;
    bad[afterFingerprint.length + 1] = 0x22;
    bad[3] = (byte) (bad.length - 20);
    assertThatThrownBy(() -> StunDecoder.decode(bad)).hasMessageContaining("after FINGERPRINT");
  }

  @Test
  void channelDataFraming() throws Exception {
    ChannelData cd = new ChannelData(0x4001, new byte[] {1, 2, 3, 4, 5});
    // RFC 8656 s12.4: channel 4001, length 0005, data; over TCP padded to 12 bytes (s12.5)
    assertThat(HexFormat.of().formatHex(cd.encode(false))).isEqualTo("400100050102030405");
    assertThat(HexFormat.of().formatHex(cd.encode(true))).isEqualTo("400100050102030405000000");
    assertThat(ChannelData.decode(cd.encode(true), 0, 12).data()).containsExactly(1, 2, 3, 4, 5);
    assertThat(ChannelData.decode(cd.encode(false), 0, 9).channel()).isEqualTo(0x4001);
    assertThatThrownBy(() -> ChannelData.decode(HexFormat.of().parseHex("40010009010203"), 0, 7))
        .isInstanceOf(StunParseException.class);
    assertThatThrownBy(() -> new ChannelData(0x3FFF, new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }
}
