package org.parley.desktop.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import org.parley.client.api.ParleyException;

/**
 * The preview sheet before files are sent: what the paperclip, a drop or a paste collected, a caption, and Send or
 * Cancel. Files are only checked here (a regular, readable file); client-core copies them when they are sent.
 */
public final class AttachmentDraft {

  /** More than this at once is refused: the sheet stays usable and one message does not carry a whole folder. */
  public static final int MAX_FILES = 30;

  private static final Set<String> PICTURE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

  public final Value<List<DraftItem>> items = new Value<>(List.of());
  public final Value<String> error = new Value<>("");
  public final Value<Boolean> open = new Value<>(false);

  private final BiConsumer<List<DraftItem>, String> send;
  private final FileServices files;

  /**
   * @param send sends the items with the caption (the conversation's {@code sendAttachments})
   * @param files where pasted pictures are written and temporary files deleted, off the UI thread
   */
  public AttachmentDraft(BiConsumer<List<DraftItem>, String> send, FileServices files) {
    this.send = send;
    this.files = files;
  }

  /** Adds files (the paperclip's choice, a drop, a pasted file list) and opens the sheet. */
  public void add(List<Path> paths) {
    add(paths, false);
  }

  /** A picture pasted from the clipboard: written as a PNG in the app's private directory, then added. */
  public void addPicture(Pixels picture) {
    files.tasks().run(() -> {
      try {
        Path file = files.local().newDirectory().resolve("Pasted picture.png");
        Pictures.writePng(picture, file);
        return file;
      } catch (IOException e) {
        throw new ParleyException("Cannot keep the pasted picture: " + e.getMessage(), e);
      }
    }, this::addTemporary, error::set);
  }

  /** Adds a file the app wrote itself (a pasted picture); it is deleted once sent or dropped. */
  public void addTemporary(Path file) {
    add(List.of(file), true);
  }

  private void add(List<Path> paths, boolean temporary) {
    List<DraftItem> next = new ArrayList<>(items.get());
    List<String> problems = new ArrayList<>();
    for (Path p : paths) {
      if (next.stream().anyMatch(i -> i.file().equals(p))) {
        continue;
      }
      if (next.size() >= MAX_FILES) {
        problems.add("At most " + MAX_FILES + " files at once");
        break;
      }
      String name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
      if (Files.isDirectory(p)) {
        problems.add(name + " is a folder (send the files in it, or a zip of it)");
      } else if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        problems.add(name + " cannot be read");
      } else {
        long size;
        try {
          size = Files.size(p);
        } catch (IOException e) {
          problems.add(name + " cannot be read");
          continue;
        }
        next.add(new DraftItem(p, name, size, Format.bytes(size), isPicture(name), temporary));
      }
    }
    items.set(List.copyOf(next));
    error.set(String.join("; ", problems));
    open.set(!next.isEmpty());
  }

  public void remove(int index) {
    List<DraftItem> next = new ArrayList<>(items.get());
    if (index < 0 || index >= next.size()) {
      return;
    }
    DraftItem gone = next.remove(index);
    deleteIfTemporary(List.of(gone));
    items.set(List.copyOf(next));
    error.set("");
    open.set(!next.isEmpty());
  }

  /** Sends everything with {@code caption} as one message and closes the sheet. */
  public void send(String caption) {
    List<DraftItem> all = items.get();
    if (all.isEmpty()) {
      return;
    }
    send.accept(all, caption == null ? "" : caption.strip());
    reset();
  }

  public void cancel() {
    deleteIfTemporary(items.get());
    reset();
  }

  private void reset() {
    items.set(List.of());
    error.set("");
    open.set(false);
  }

  private void deleteIfTemporary(List<DraftItem> dropped) {
    List<Path> temp = dropped.stream().filter(DraftItem::temporary).map(DraftItem::file).toList();
    if (temp.isEmpty()) {
      return;
    }
    files.tasks().run(() -> {
      for (Path p : temp) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // LocalFiles.clear() removes it at exit
        }
      }
      return null;
    }, x -> { }, x -> { });
  }

  static boolean isPicture(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && PICTURE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
