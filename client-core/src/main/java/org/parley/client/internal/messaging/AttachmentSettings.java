package org.parley.client.internal.messaging;

import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.store.SettingTable;

/** The stored attachment settings of this device: the auto-download limit and the server's size cap as last seen. */
public final class AttachmentSettings {

  /** Received pictures up to this size download by themselves unless the person changed it. */
  public static final long DEFAULT_AUTO_DOWNLOAD_LIMIT = 10L << 20;
  private static final String AUTO_DOWNLOAD = "attachments.auto-download-limit";
  private static final String SERVER_MAX = "attachments.server-max-size";

  private final SettingTable settings;

  public AttachmentSettings(SettingTable settings) {
    this.settings = settings;
  }

  public long autoDownloadLimit() {
    return settings.getLong(AUTO_DOWNLOAD, DEFAULT_AUTO_DOWNLOAD_LIMIT);
  }

  public void setAutoDownloadLimit(long bytes) {
    settings.put(AUTO_DOWNLOAD, Long.toString(bytes));
  }

  /** The largest upload (ciphertext bytes) the server accepts, as its last slot answer said (100 MiB before). */
  public long serverMaxSize() {
    return settings.getLong(SERVER_MAX, OutgoingFiles.DEFAULT_SERVER_MAX);
  }

  /** Remembers the server's cap from a slot answer, so the next oversize file is refused before it is queued. */
  public void learnServerMaxSize(long bytes) {
    if (bytes > 0 && bytes != serverMaxSize()) {
      settings.put(SERVER_MAX, Long.toString(bytes));
    }
  }
}
