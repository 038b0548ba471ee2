package org.parley.turn.server;

import java.util.List;
import org.parley.turn.attribute.AttributeType;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.Software;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Protection;
import org.parley.turn.message.StunEncoder;
import org.parley.turn.message.StunMessage;

/**
 * Builds responses (RFC 8489 section 6.3): same method and transaction ID, SOFTWARE when configured,
 * MESSAGE-INTEGRITY (and -SHA256 if the request used it) when the request was authenticated, FINGERPRINT when the
 * request carried one.
 */
final class Responses {
  private final Software software;

  Responses(String software) {
    this.software = software.isEmpty() ? null : new Software(software);
  }

  byte[] success(StunMessage request, Credentials auth, List<? extends StunAttribute> attributes) {
    StunMessage.Builder b = StunMessage.builder(MessageType.success(request.method()), request.transactionId());
    b.addAll(attributes);
    if (software != null) {
      b.add(software);
    }
    return StunEncoder.encode(b.build(), protection(request, auth));
  }

  byte[] error(StunMessage request, int code, Credentials auth, List<? extends StunAttribute> extra) {
    StunMessage.Builder b = StunMessage.builder(MessageType.error(request.method()), request.transactionId());
    b.add(ErrorCode.of(code));
    b.addAll(extra);
    if (software != null) {
      b.add(software);
    }
    return StunEncoder.encode(b.build(), protection(request, auth));
  }

  byte[] error(StunMessage request, int code, Credentials auth) {
    return error(request, code, auth, List.of());
  }

  private static Protection protection(StunMessage request, Credentials auth) {
    boolean fingerprint = request.has(AttributeType.FINGERPRINT);
    if (auth == null) {
      return Protection.none().withFingerprint(fingerprint);
    }
    return Protection.integrity(auth.key()).withSha1(!auth.sha256()).withSha256(auth.sha256())
        .withFingerprint(fingerprint);
  }

  /** Who sent an authenticated request, the key that verified it, and whether it used MESSAGE-INTEGRITY-SHA256. */
  record Credentials(String username, byte[] key, boolean sha256) {}
}
