package org.parley.desktop.view;

import java.nio.ByteBuffer;
import javafx.application.Platform;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.parley.desktop.vm.VideoPicture;

/**
 * A call's video (the peer's or our preview): {@link VideoPicture} converts each frame off the FX thread; here the
 * FX thread only wraps the finished buffer — a {@link PixelBuffer} over the same memory, made once per buffer and
 * size — and marks it changed, so JavaFX uploads it with the next pulse. No copy on the FX thread.
 */
final class VideoView extends ImageView {

  final VideoPicture picture = new VideoPicture(Platform::runLater, this::show);
  /** The three buffers' images (by identity of their pixel memory), remade when the frame size changes. */
  private final ByteBuffer[] wrapped = new ByteBuffer[3];
  private final PixelBuffer<?>[] pixelBuffers = new PixelBuffer<?>[3];
  private final WritableImage[] images = new WritableImage[3];

  VideoView() {
    setPreserveRatio(true);
    setSmooth(true);
  }

  private void show(VideoPicture.Buffer buffer) {
    int slot = slotOf(buffer.pixels());
    if (slot < 0) {
      slot = freeSlot(buffer.width(), buffer.height());
      PixelBuffer<ByteBuffer> pb = new PixelBuffer<>(buffer.width(), buffer.height(), buffer.pixels(),
          PixelFormat.getByteBgraPreInstance());
      wrapped[slot] = buffer.pixels();
      pixelBuffers[slot] = pb;
      images[slot] = new WritableImage(pb);
    } else {
      pixelBuffers[slot].updateBuffer(pb -> null); // null: the whole picture changed
    }
    if (getImage() != images[slot]) {
      setImage(images[slot]);
    }
  }

  private int slotOf(ByteBuffer pixels) {
    for (int i = 0; i < wrapped.length; i++) {
      if (wrapped[i] == pixels) {
        return i;
      }
    }
    return -1;
  }

  /** A slot that holds nothing, or an image of another size (the sender adapted) that no buffer uses any more. */
  private int freeSlot(int width, int height) {
    for (int i = 0; i < wrapped.length; i++) {
      if (wrapped[i] == null) {
        return i;
      }
    }
    for (int i = 0; i < wrapped.length; i++) {
      if (images[i] != getImage() && (images[i].getWidth() != width || images[i].getHeight() != height)) {
        return i;
      }
    }
    for (int i = 0; i < wrapped.length; i++) {
      if (images[i] != getImage()) {
        return i;
      }
    }
    return 0;
  }

  /** The image on screen now (for tests and the screenshot tour), or null before the first frame. */
  WritableImage current() {
    return (WritableImage) getImage();
  }
}
