package org.parley.client.internal.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.client.internal.attachments.AttachmentTransfer;

/** The running transfers' cancel handles by attachment id, and whether the person or the closing client stopped it. */
final class TransferHandles {

  /** A running transfer's handle; {@code byPerson} tells a cancel from a client shutting down. */
  static final class Handle {
    final AttachmentTransfer.Cancel cancel = new AttachmentTransfer.Cancel();
    volatile boolean byPerson;
  }

  private final Map<Long, Handle> running = new ConcurrentHashMap<>();
  private volatile boolean closing;

  Handle start(long attachmentId) {
    Handle handle = new Handle();
    running.put(attachmentId, handle);
    if (closing) {
      handle.cancel.cancel();
    }
    return handle;
  }

  void finished(long attachmentId, Handle handle) {
    running.remove(attachmentId, handle);
  }

  /** Stops attachment {@code attachmentId}'s transfer if one runs; returns whether one did. */
  boolean cancelByPerson(long attachmentId) {
    Handle handle = running.get(attachmentId);
    if (handle == null) {
      return false;
    }
    handle.byPerson = true;
    handle.cancel.cancel();
    return true;
  }

  boolean closing() {
    return closing;
  }

  /** Stops every transfer because the client closes; they continue when it is opened again. */
  void closeAll() {
    closing = true;
    running.values().forEach(h -> h.cancel.cancel());
  }
}
