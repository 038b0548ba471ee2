package org.parley.client.api;

/** What a device being linked ({@link ParleyClient#link}) reports while it waits for the primary. */
public interface LinkProgress {

  /**
   * A link to show as a QR code, {@code parley://link?uuid=...&pub_key=...}. Called again with a new link when the
   * previous one expired (the server closed its provisioning socket).
   */
  void showLink(String linkUri);

  /** The primary has sent the account; this device is registering itself. */
  default void linking() {}
}
