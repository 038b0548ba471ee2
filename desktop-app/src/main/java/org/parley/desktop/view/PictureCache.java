package org.parley.desktop.view;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.parley.desktop.vm.Pixels;

/**
 * Decoded pictures of one conversation, at the size they are shown, least recently used dropped first. Cells are
 * recycled as the list scrolls: this keeps a picture from being decoded again each time its row comes back.
 * Decoding runs on the ViewModel's file thread; callbacks arrive on the FX thread.
 */
final class PictureCache {

  /** Decodes a stored picture scaled to fit, off the FX thread ({@code ConversationMedia::picture} and the like). */
  interface Decoder {
    void picture(long attachmentId, int maxWidth, int maxHeight, Consumer<Pixels> done, Consumer<String> failed);
  }

  /** About 300 kB each at tile size: a few dozen tiles is a few MB. */
  private static final int MAX_ENTRIES = 64;

  private final Decoder vm;
  private final Map<String, Image> images = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  private final Map<Long, Image> thumbnails = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Image> eldest) {
      return size() > MAX_ENTRIES * 4;
    }
  };
  private final Map<String, List<Consumer<Image>>> pending = new HashMap<>();

  PictureCache(Decoder vm) {
    this.vm = vm;
  }

  /** The thumbnail JPEG (a few kB, decoded right here). */
  Optional<Image> thumbnail(long id, Optional<byte[]> jpeg) {
    if (jpeg.isEmpty()) {
      return Optional.empty();
    }
    Image cached = thumbnails.get(id);
    if (cached == null) {
      cached = new Image(new ByteArrayInputStream(jpeg.get()));
      if (cached.isError()) {
        return Optional.empty();
      }
      thumbnails.put(id, cached);
    }
    return Optional.of(cached);
  }

  /** The picture scaled to fit {@code w × h}: from the cache at once, or {@code ready} later (not on failure). */
  Optional<Image> picture(long id, int w, int h, Consumer<Image> ready) {
    String key = id + ":" + w + "x" + h;
    Image cached = images.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<Consumer<Image>> waiting = pending.get(key);
    if (waiting != null) {
      waiting.add(ready);
      return Optional.empty();
    }
    List<Consumer<Image>> callbacks = new ArrayList<>();
    callbacks.add(ready);
    pending.put(key, callbacks);
    vm.picture(id, w, h, pixels -> {
      Image image = toImage(pixels);
      images.put(key, image);
      pending.remove(key).forEach(c -> c.accept(image));
    }, error -> pending.remove(key));
    return Optional.empty();
  }

  static Image toImage(Pixels pixels) {
    WritableImage image = new WritableImage(pixels.width(), pixels.height());
    image.getPixelWriter().setPixels(0, 0, pixels.width(), pixels.height(), PixelFormat.getIntArgbInstance(),
        pixels.argb(), 0, pixels.width());
    return image;
  }
}
