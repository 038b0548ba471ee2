package org.parley.client.internal.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.protocol.ProvisionEnvelope;
import org.parley.protocol.ProvisionMessage;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;

class ProvisioningCipherTest {

  private static final ProvisionMessage MESSAGE = ProvisionMessage.newBuilder().setAccountId("acct")
      .setNumber("+15550001111").setIdentityKeyPair(ByteString.copyFrom(IdentityKeyPair.generate().serialize()))
      .setProfileName("Alice").setLinkingCode("code").build();

  @Test
  void theNewDeviceOpensWhatThePrimarySealedToItsKey() throws Exception {
    ECKeyPair device = ECKeyPair.generate();
    ProvisionEnvelope sealed = ProvisioningCipher.seal(MESSAGE, device.getPublicKey());
    assertThat(sealed.getBody().toStringUtf8()).doesNotContain("+15550001111");
    assertThat(ProvisioningCipher.open(sealed, device)).isEqualTo(MESSAGE);
    // A fresh sender key each time: the same message never looks the same twice.
    assertThat(ProvisioningCipher.seal(MESSAGE, device.getPublicKey()).getBody()).isNotEqualTo(sealed.getBody());
  }

  @Test
  void aMessageSealedToAnotherKeyOrChangedOnTheWayIsRefused() {
    ECKeyPair device = ECKeyPair.generate();
    ProvisionEnvelope toSomeoneElse = ProvisioningCipher.seal(MESSAGE, ECKeyPair.generate().getPublicKey());
    assertThatThrownBy(() -> ProvisioningCipher.open(toSomeoneElse, device))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not encrypted to this device's key");

    ProvisionEnvelope sealed = ProvisioningCipher.seal(MESSAGE, device.getPublicKey());
    byte[] body = sealed.getBody().toByteArray();
    body[20] ^= 1;
    assertThatThrownBy(() -> ProvisioningCipher.open(sealed.toBuilder().setBody(ByteString.copyFrom(body)).build(),
        device)).isInstanceOf(InvalidInputException.class);
    // The sender key is bound to the ciphertext: swapping it fails too.
    assertThatThrownBy(() -> ProvisioningCipher.open(sealed.toBuilder()
        .setPublicKey(ByteString.copyFrom(ECKeyPair.generate().getPublicKey().serialize())).build(), device))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ProvisioningCipher.open(sealed.toBuilder().setVersion(2).build(), device))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("version");
    assertThatThrownBy(() -> ProvisioningCipher.open(sealed.toBuilder().setBody(ByteString.copyFrom(new byte[5]))
        .build(), device)).isInstanceOf(InvalidInputException.class).hasMessageContaining("truncated");
  }

  @Test
  void linkUrisRoundTripAndBadOnesAreRefused() throws Exception {
    ECKeyPair key = ECKeyPair.generate();
    LinkUri uri = new LinkUri("abcdefghijklmnopqrstuv", key.getPublicKey());
    LinkUri parsed = LinkUri.parse(uri.toUriString());
    assertThat(parsed.address()).isEqualTo("abcdefghijklmnopqrstuv");
    assertThat(parsed.publicKey()).isEqualTo(key.getPublicKey());
    for (String bad : new String[] {"", "parley://link", "parley://other?uuid=abcdefghijklmnopqrstuv&pub_key=x",
        "parley://link?uuid=short&pub_key=" + uri.toUriString().split("pub_key=")[1],
        "parley://link?uuid=abcdefghijklmnopqrstuv", "parley://link?uuid=abcdefghijklmnopqrstuv&pub_key=!!"}) {
      assertThatThrownBy(() -> LinkUri.parse(bad)).as(bad).isInstanceOf(InvalidInputException.class);
    }
  }
}
