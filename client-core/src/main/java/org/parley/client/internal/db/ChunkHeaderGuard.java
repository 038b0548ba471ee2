package org.parley.client.internal.db;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.Chunk;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * Keeps every commit reachable from the file's header, so that a process killed right after a commit leaves a file
 * that opens at that commit (ADR 0204, "The duplicate after kill -9").
 *
 * <p>Why: H2 (2.5.252, pinned in the parent pom) finds the newest chunk on open by reading the chunk the file header
 * names and then following each chunk's {@code next} — the block where the chunk after it was expected. When a chunk
 * lands elsewhere (in a hole left by freed chunks, after one that was appended at the end), H2 rewrites the header,
 * but from its {@code lastChunk} before that field is set to the new chunk: the header names the previous chunk, whose
 * {@code next} points past the end of the file. The new chunk and every chunk after it are then out of reach until
 * H2's next header write (20 versions later, or on close). A kill -9 in that window lost up to 20 commits — in
 * DrainCrashSafetyTest, batches already acknowledged to the server. {@code DatabaseKillVisibilityTest} reproduces it
 * with plain SQL.
 *
 * <p>After each commit this walks the chain from the header's chunk as H2's open would; when it does not reach the
 * newest chunk, it has H2 write its header again (now naming the newest chunk). H2's own classes, reached by
 * reflection as {@link Database} reaches the MVStore: {@code DatabaseKillVisibilityTest} fails if this stops working.
 */
final class ChunkHeaderGuard {

  private final FileStore<?> fileStore;
  private final Field lastChunk;
  private final Field storeHeader;
  private final Method writeStoreHeader;
  private final Method getChunks;
  private Chunk<?> checked;
  private long headerWrites;

  ChunkHeaderGuard(MVStore store) {
    this.fileStore = store.getFileStore();
    try {
      lastChunk = FileStore.class.getDeclaredField("lastChunk");
      storeHeader = FileStore.class.getDeclaredField("storeHeader");
      writeStoreHeader = fileStore.getClass().getSuperclass().getDeclaredMethod("writeStoreHeader");
      getChunks = FileStore.class.getDeclaredMethod("getChunks");
      getChunks.setAccessible(true);
      lastChunk.setAccessible(true);
      storeHeader.setAccessible(true);
      writeStoreHeader.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("This H2 version's file store is not the one ChunkHeaderGuard knows (" + e
          + "); see ADR 0204", e);
    }
  }

  /** After a commit (on the thread holding the database's lock): makes the newest chunk reachable from the header. */
  void afterCommit() {
    try {
      Chunk<?> newest = (Chunk<?>) lastChunk.get(fileStore);
      if (newest == null || newest == checked) {
        return;
      }
      Chunk<?> before = checked;
      checked = newest;
      // The usual case, without a walk: the newest chunk is where the one checked last (reachable) predicted.
      if (before != null && before.next == newest.block && newest.id == before.id + 1) {
        return;
      }
      int headerChunk = headerChunk((Map<?, ?>) storeHeader.get(fileStore));
      if (headerChunk == newest.id || reachable(headerChunk, newest)) {
        return;
      }
      writeStoreHeader.invoke(fileStore);
      headerWrites++;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot keep the database file's header current (" + e + ")", e);
    }
  }

  /** The chunk id the header names: a number once H2 wrote it, a hex string as read from the file. */
  private static int headerChunk(Map<?, ?> header) {
    Object value = header.get("chunk");
    if (value instanceof Number number) {
      return number.intValue();
    }
    return value == null ? -1 : Integer.parseInt(value.toString(), 16);
  }

  /** How many times a header had to be written again (tests). */
  long headerWrites() {
    return headerWrites;
  }

  /** Whether following {@code next} from chunk {@code fromId} reaches {@code newest}, as opening the file does. */
  private boolean reachable(int fromId, Chunk<?> newest) throws ReflectiveOperationException {
    Map<?, ?> chunks = (Map<?, ?>) getChunks.invoke(fileStore);
    Map<Long, Chunk<?>> byBlock = new HashMap<>();
    for (Object value : chunks.values()) {
      Chunk<?> chunk = (Chunk<?>) value;
      byBlock.put(chunk.block, chunk);
    }
    Chunk<?> at = (Chunk<?>) chunks.get(fromId);
    while (at != null && at.id != newest.id) {
      Chunk<?> following = byBlock.get(at.next);
      at = following != null && following.id > at.id ? following : null;
    }
    return at != null;
  }
}
