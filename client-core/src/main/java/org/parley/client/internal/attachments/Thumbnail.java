package org.parley.client.internal.attachments;

/**
 * A picture's thumbnail and what the pointer says about the picture: a small JPEG, the picture's size as it is
 * meant to be seen (EXIF orientation applied) and its MIME type.
 */
public record Thumbnail(byte[] jpeg, int width, int height, String contentType) {

  public Thumbnail {
    jpeg = jpeg.clone();
  }

  @Override
  public byte[] jpeg() {
    return jpeg.clone();
  }
}
