package org.parley.server.attachments;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.server.api.ApiException;

/**
 * Which bytes of the attachment the body of one {@code PUT /v1/attachments/{id}} carries: from {@code start} up to
 * (not including) {@code end}. With {@code Content-Range: bytes N-M/T} the body is bytes N..M of an attachment of T
 * bytes; without it the body starts at 0. {@code end} is the declared end (Content-Range, or Content-Length), or the
 * reserved size when the body's length is not declared (chunked).
 */
public record UploadRange(long start, long end, OptionalLong declaredLength) {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})");

  /**
   * @param contentRange the header, or null
   * @param contentLength the header's value, or empty (chunked or absent)
   * @param size the size the slot was reserved for
   * @throws ApiException 400 for a malformed or inconsistent header, 413 for a body declared larger than the slot
   */
  public static UploadRange of(String contentRange, OptionalLong contentLength, long size) throws ApiException {
    if (contentRange == null) {
      if (contentLength.isPresent() && contentLength.getAsLong() > size) {
        throw new ApiException(413, "attachment_too_large", "The body of " + contentLength.getAsLong()
            + " bytes is larger than the " + size + " bytes reserved for this attachment");
      }
      return new UploadRange(0, contentLength.orElse(size), contentLength);
    }
    Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
    if (!m.matches()) {
      throw ApiException.badRequest("invalid_content_range",
          "Content-Range must look like 'bytes 0-999/5000' (first and last byte, inclusive, and the total), not '"
              + contentRange + "'");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    long total = Long.parseLong(m.group(3));
    if (total != size) {
      throw ApiException.badRequest("size_mismatch",
          "Content-Range says the attachment has " + total + " bytes; " + size + " were reserved");
    }
    if (first > last || last >= total) {
      throw ApiException.badRequest("invalid_content_range",
          "Content-Range " + contentRange + " is not a range of bytes inside 0-" + (total - 1));
    }
    long length = last - first + 1;
    if (contentLength.isPresent() && contentLength.getAsLong() != length) {
      throw ApiException.badRequest("content_length_mismatch", "Content-Length " + contentLength.getAsLong()
          + " does not match Content-Range " + contentRange + " (" + length + " bytes)");
    }
    return new UploadRange(first, last + 1, contentLength);
  }
}
