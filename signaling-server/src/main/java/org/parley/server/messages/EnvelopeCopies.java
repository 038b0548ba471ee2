package org.parley.server.messages;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.parley.protocol.Envelope;
import org.parley.server.storage.DeviceAddress;

/**
 * The envelopes of one group message's copies: everything but the destination and the GUID is the same for every
 * device, so it is serialized once and each copy appends only its own three fields (a protobuf message's fields may
 * come in any order, and parsing concatenated encodings merges them). Saves re-encoding the content, the sender
 * and the timestamps for each of up to 6,144 devices.
 */
final class EnvelopeCopies {

  private final byte[] common;

  /** {@code shared} must not have a destination or a GUID set. */
  EnvelopeCopies(Envelope shared) {
    if (!shared.getDestinationAccount().isEmpty() || shared.getDestinationDevice() != 0
        || !shared.getServerGuid().isEmpty()) {
      throw new IllegalArgumentException("the shared part of an envelope names no destination or GUID");
    }
    this.common = shared.toByteArray();
  }

  /** The serialized envelope for {@code device} with {@code guid}. */
  byte[] forDevice(DeviceAddress device, String guid) {
    byte[] account = device.accountId().getBytes(StandardCharsets.UTF_8);
    byte[] guidBytes = guid.getBytes(StandardCharsets.UTF_8);
    int own = CodedOutputStream.computeByteArraySize(Envelope.DESTINATION_ACCOUNT_FIELD_NUMBER, account)
        + CodedOutputStream.computeUInt32Size(Envelope.DESTINATION_DEVICE_FIELD_NUMBER, device.deviceId())
        + CodedOutputStream.computeByteArraySize(Envelope.SERVER_GUID_FIELD_NUMBER, guidBytes);
    byte[] envelope = new byte[common.length + own];
    System.arraycopy(common, 0, envelope, 0, common.length);
    CodedOutputStream out = CodedOutputStream.newInstance(envelope, common.length, own);
    try {
      out.writeByteArray(Envelope.DESTINATION_ACCOUNT_FIELD_NUMBER, account);
      out.writeUInt32(Envelope.DESTINATION_DEVICE_FIELD_NUMBER, device.deviceId());
      out.writeByteArray(Envelope.SERVER_GUID_FIELD_NUMBER, guidBytes);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("an envelope's size was computed wrong", e);
    }
    return envelope;
  }
}
