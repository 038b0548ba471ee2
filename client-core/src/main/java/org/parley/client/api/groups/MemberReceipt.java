package org.parley.client.api.groups;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an outgoing group message stands with one member: delivered once any of their devices has it, read once
 * they read it on any device.
 *
 * @param number the member
 * @param deliveredAt when their delivery receipt arrived (ms)
 * @param readAt when their read receipt arrived (ms)
 */
public record MemberReceipt(String number, Optional<Long> deliveredAt, Optional<Long> readAt) {

  public MemberReceipt {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    Objects.requireNonNull(readAt, "readAt");
  }

  public boolean delivered() {
    return deliveredAt.isPresent() || readAt.isPresent();
  }

  public boolean read() {
    return readAt.isPresent();
  }
}
