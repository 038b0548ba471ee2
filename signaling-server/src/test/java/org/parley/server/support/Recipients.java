package org.parley.server.support;

import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.MultiRecipientMessageRequest.Recipient;
import org.parley.server.messages.MultiRecipientController;

/** Recipient entries for the tests of group messages and recipient sets (ADR 0140). */
public final class Recipients {

  private Recipients() {}

  /** One registered device as a recipient, with its registration id. */
  public static Recipient of(Api.Device device) {
    return Recipient.newBuilder().setAccountId(device.accountId()).addDeviceIds(device.deviceId())
        .addRegistrationIds(device.registrationId()).build();
  }

  /** One account more than a message or a set may name (made-up accounts, one device each). */
  public static List<Recipient> oneAccountTooMany() {
    List<Recipient> crowd = new ArrayList<>();
    for (int i = 0; i <= MultiRecipientController.MAX_RECIPIENT_ACCOUNTS; i++) {
      crowd.add(Recipient.newBuilder().setAccountId("account-" + i).addDeviceIds(1).addRegistrationIds(1).build());
    }
    return crowd;
  }

  /** {@code accountId} with one device more than a message or a set may name. */
  public static Recipient oneDeviceTooMany(String accountId) {
    List<Integer> devices = new ArrayList<>();
    for (int i = 1; i <= MultiRecipientController.MAX_RECIPIENT_DEVICES + 1; i++) {
      devices.add(i);
    }
    return Recipient.newBuilder().setAccountId(accountId).addAllDeviceIds(devices).addAllRegistrationIds(devices)
        .build();
  }
}
