package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.server.storage.DeviceAddress;

class EnvelopeCopiesTest {

  private final Envelope shared = Envelope.newBuilder().setType(Envelope.Type.SENDER_KEY)
      .setSourceAccount("0b6f1c3e-1111-4a4a-9c9c-123456789abc").setSourceNumber("+15550001111").setSourceDevice(2)
      .setServerTimestamp(1_764_000_000_000L).setClientTimestamp(1_764_000_000_123L)
      .setContent(ByteString.copyFrom(new byte[300])).setUrgent(true).build();

  @Test
  void eachCopyParsesAsTheSharedEnvelopeWithItsOwnDestinationAndGuid() throws Exception {
    EnvelopeCopies copies = new EnvelopeCopies(shared);
    for (int device : new int[] {1, 6, 127, 128, 300_000}) {
      DeviceAddress to = new DeviceAddress("5d8e7f60-2222-4b4b-8d8d-abcdef012345", device);
      Envelope copy = Envelope.parseFrom(copies.forDevice(to, "guid-" + device));
      assertThat(copy).isEqualTo(shared.toBuilder().setDestinationAccount(to.accountId())
          .setDestinationDevice(device).setServerGuid("guid-" + device).build());
    }
  }

  @Test
  void theSharedPartMayNotNameADestination() {
    assertThatThrownBy(() -> new EnvelopeCopies(shared.toBuilder().setDestinationDevice(1).build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
