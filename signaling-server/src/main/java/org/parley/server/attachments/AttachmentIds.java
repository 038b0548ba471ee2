package org.parley.server.attachments;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Attachment ids: 24 bytes from {@link SecureRandom} as 32 characters of unpadded base64url. Whoever knows an id can
 * download the attachment, so the id is the capability: 192 bits cannot be guessed or enumerated.
 */
public final class AttachmentIds {

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AttachmentIds() {}

  public static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static boolean isWellFormed(String id) {
    return id != null && FORMAT.matcher(id).matches();
  }
}
