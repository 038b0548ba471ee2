package org.parley.desktop.vm;

import java.util.Optional;

/** Where a verification code can be read without a phone: the demo server's SMS outbox. Empty for real servers. */
public interface CodeSource {

  /** The newest code sent to {@code number}, if this source can see it. */
  Optional<String> codeFor(String number);

  CodeSource NONE = number -> Optional.empty();
}
