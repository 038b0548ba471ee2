package org.parley.desktop.vm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;

/** How attachments read in the UI: their kind, size on screen, status line, icon and chat list preview. */
public final class Attachments {

  /** The largest a picture or video tile gets in a bubble. */
  public static final int MAX_TILE_WIDTH = 280;
  public static final int MAX_TILE_HEIGHT = 320;
  /** The smallest side of a tile, so a 2000 × 20 panorama still has something to click. */
  static final int MIN_TILE_SIDE = 64;

  /** Pictures JavaFX can decode; other image types (HEIC, WebP, TIFF…) are shown as files. */
  private static final Set<String> PICTURE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/bmp");
  /** Videos JavaFX's media stack plays (MP4 with H.264/AAC); other formats are shown as files. */
  private static final Set<String> VIDEO_TYPES = Set.of("video/mp4", "video/x-m4v");

  /** A thumbnail claiming more than this a side is not shown (a few dozen pixels are expected; see {@link #item}). */
  static final int MAX_THUMBNAIL_SIDE = 512;

  private Attachments() {}

  public static AttachmentItem item(Attachment a) {
    AttachmentItem.Kind kind = a.voiceNote().isPresent() ? AttachmentItem.Kind.VOICE : kindOf(a.contentType());
    // The sender chose the thumbnail: a few kB can claim 60,000 × 60,000 pixels, which the view would decode whole.
    Optional<byte[]> thumbnail = a.thumbnail().filter(Attachments::plausibleThumbnail);
    int[] size = kind == AttachmentItem.Kind.FILE || kind == AttachmentItem.Kind.VOICE ? new int[] {0, 0}
        : tileSize(a.width(), a.height(), thumbnail);
    double progress = a.size() <= 0 ? 0 : Math.min(1.0, (double) a.transferred() / a.size());
    return new AttachmentItem(a.id(), a.messageId(), kind, a.fileName(), a.contentType(), a.size(),
        Format.bytes(a.size()), size[0], size[1], thumbnail, a.state(), progress,
        status(a.state(), progress, a.error()), a.caption(), a.voiceNote());
  }

  public static List<AttachmentItem> items(List<Attachment> attachments) {
    return attachments.stream().map(Attachments::item).toList();
  }

  public static AttachmentItem.Kind kindOf(String contentType) {
    String type = baseType(contentType);
    if (PICTURE_TYPES.contains(type)) {
      return AttachmentItem.Kind.PICTURE;
    }
    return VIDEO_TYPES.contains(type) ? AttachmentItem.Kind.VIDEO : AttachmentItem.Kind.FILE;
  }

  private static String baseType(String contentType) {
    String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    int semicolon = t.indexOf(';');
    return (semicolon >= 0 ? t.substring(0, semicolon) : t).strip();
  }

  /**
   * The tile's size: the picture's aspect ratio (from its dimensions, else from the thumbnail's) scaled into
   * {@link #MAX_TILE_WIDTH} × {@link #MAX_TILE_HEIGHT}, never larger than a picture of known size, never under
   * {@link #MIN_TILE_SIDE} a side.
   */
  static int[] tileSize(OptionalInt width, OptionalInt height, Optional<byte[]> thumbnail) {
    int w = width.orElse(0);
    int h = height.orElse(0);
    if ((w <= 0 || h <= 0) && thumbnail.isPresent()) {
      // The thumbnail is a scaled-down copy: it gives the aspect ratio, and the tile takes the full box.
      int[] dims = imageSize(thumbnail.get());
      if (dims[0] > 0 && dims[1] > 0) {
        double scale = Math.min((double) MAX_TILE_WIDTH / dims[0], (double) MAX_TILE_HEIGHT / dims[1]);
        return fit((int) Math.round(dims[0] * scale), (int) Math.round(dims[1] * scale), MAX_TILE_WIDTH,
            MAX_TILE_HEIGHT, MIN_TILE_SIDE);
      }
    }
    if (w <= 0 || h <= 0) {
      return new int[] {200, 200};
    }
    return fit(w, h, MAX_TILE_WIDTH, MAX_TILE_HEIGHT, MIN_TILE_SIDE);
  }

  /** {@code w} × {@code h} scaled down (never up) to fit in {@code maxW} × {@code maxH}, each side ≥ {@code min}. */
  public static int[] fit(int w, int h, int maxW, int maxH, int min) {
    double scale = Math.min(1.0, Math.min((double) maxW / w, (double) maxH / h));
    int outW = (int) Math.round(w * scale);
    int outH = (int) Math.round(h * scale);
    return new int[] {Math.max(Math.min(min, maxW), outW), Math.max(Math.min(min, maxH), outH)};
  }

  static boolean plausibleThumbnail(byte[] image) {
    int[] dims = imageSize(image);
    return dims[0] > 0 && dims[1] > 0 && dims[0] <= MAX_THUMBNAIL_SIDE && dims[1] <= MAX_THUMBNAIL_SIDE;
  }

  /** The dimensions in an image's header (a thumbnail: a few kB), or 0 × 0 when it cannot be read. */
  static int[] imageSize(byte[] image) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return new int[] {0, 0};
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return new int[] {0, 0};
    }
  }

  /** The line under a transfer: what is happening and what can be done. */
  static String status(AttachmentState state, double progress, Optional<String> error) {
    int percent = (int) Math.floor(progress * 100);
    return switch (state) {
      case UPLOAD_PENDING -> "Waiting to upload";
      case UPLOADING -> "Uploading… " + percent + " %";
      case DOWNLOADING -> "Downloading… " + percent + " %";
      case NOT_DOWNLOADED -> "Not downloaded";
      case FAILED -> "Failed" + error.map(e -> ": " + e).orElse("");
      case CANCELLED -> "Stopped";
      case EXPIRED -> "No longer available";
      case UPLOADED, DOWNLOADED -> "";
    };
  }

  /** A glyph for a file card, by type. */
  public static String icon(String contentType, String fileName) {
    String type = baseType(contentType);
    String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
    if (type.equals("application/pdf") || name.endsWith(".pdf")) {
      return "PDF";
    }
    if (type.startsWith("image/")) {
      return "IMG";
    }
    if (type.startsWith("video/")) {
      return "VID";
    }
    if (type.startsWith("audio/")) {
      return "AUD";
    }
    if (type.contains("zip") || type.contains("compressed") || name.matches(".*\\.(zip|gz|tgz|7z|rar|xz)$")) {
      return "ZIP";
    }
    if (type.startsWith("text/") || name.matches(".*\\.(txt|md|csv|log)$")) {
      return "TXT";
    }
    if (type.contains("word") || type.contains("document") || name.matches(".*\\.(docx?|odt|rtf)$")) {
      return "DOC";
    }
    if (type.contains("sheet") || type.contains("excel") || name.matches(".*\\.(xlsx?|ods)$")) {
      return "XLS";
    }
    return "FILE";
  }

  /**
   * The chat list's line for a message: its text, or for one with attachments and no text "📷 Photo",
   * "📷 3 photos", "🎥 Video", "📎 report.pdf", "🎤 Voice note (0:07)"; a caption follows the glyph.
   */
  public static String preview(String text, List<Attachment> attachments) {
    String caption = text == null ? "" : text.strip();
    if (attachments.isEmpty()) {
      return caption;
    }
    long pictures = attachments.stream().filter(a -> kindOf(a.contentType()) == AttachmentItem.Kind.PICTURE)
        .count();
    long videos = attachments.stream().filter(a -> kindOf(a.contentType()) == AttachmentItem.Kind.VIDEO).count();
    String glyph;
    String words;
    if (attachments.size() == 1 && attachments.get(0).voiceNote().isPresent()) {
      glyph = "\uD83C\uDFA4";
      words = "Voice note (" + VoicePlayerViewModel.clock(attachments.get(0).voiceNote().get().duration().toMillis())
          + ")";
    } else if (pictures == attachments.size()) {
      glyph = "\uD83D\uDCF7";
      words = pictures == 1 ? "Photo" : pictures + " photos";
    } else if (videos == attachments.size()) {
      glyph = "\uD83C\uDFA5";
      words = videos == 1 ? "Video" : videos + " videos";
    } else {
      glyph = "\uD83D\uDCCE";
      words = attachments.size() == 1 ? attachments.get(0).fileName() : attachments.size() + " files";
    }
    return glyph + " " + (caption.isEmpty() ? words : caption);
  }
}
