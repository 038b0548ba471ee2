package org.parley.desktop.vm;

import java.io.IOException;

/**
 * What a conversation needs for attachments besides the client: a thread for file work (decoding pictures, copies,
 * sending big files) so the client's own thread stays free for messages, the app's private plaintext directory, and
 * the desktop's "open with the default application".
 */
public final class FileServices {

  private final Tasks tasks;
  private final Opener opener;
  private LocalFiles local;

  public FileServices(Tasks tasks, Opener opener) {
    this.tasks = tasks;
    this.opener = opener;
  }

  public Tasks tasks() {
    return tasks;
  }

  public Opener opener() {
    return opener;
  }

  /** The private directory, made on first use (most sessions never open a file). */
  public synchronized LocalFiles local() throws IOException {
    if (local == null) {
      local = LocalFiles.create();
    }
    return local;
  }

  /** Deletes the plaintext copies (at exit). */
  public synchronized void clear() {
    if (local != null) {
      local.clear();
    }
  }
}
