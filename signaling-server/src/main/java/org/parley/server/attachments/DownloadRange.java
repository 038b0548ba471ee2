package org.parley.server.attachments;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.server.api.ApiException;

/**
 * The bytes one {@code GET /v1/attachments/{id}} asks for: one range of the RFC 9110 {@code Range} header
 * ({@code bytes=0-99}, {@code bytes=100-}, {@code bytes=-500}), clipped to the size.
 *
 * @param partial true when a Range header selected the bytes (206), false for the whole attachment (200)
 */
public record DownloadRange(long offset, long length, boolean partial) {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /**
   * @param header the Range header, or null for the whole attachment
   * @throws ApiException 416 when the header is not a single byte range or selects nothing of {@code size} bytes
   */
  public static DownloadRange of(String header, long size) throws ApiException {
    if (header == null) {
      return new DownloadRange(0, size, false);
    }
    Matcher m = RANGE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      throw notSatisfiable("Range must be one byte range such as 'bytes=0-99', 'bytes=100-' or 'bytes=-500'"
          + " (several ranges are not served), not '" + header + "'");
    }
    Optional<Long> first = m.group(1).isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(m.group(1)));
    Optional<Long> last = m.group(2).isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(m.group(2)));
    if (first.isEmpty()) {
      long suffix = last.get();
      if (suffix == 0) {
        throw notSatisfiable("Range " + header + " asks for the last 0 bytes");
      }
      long length = Math.min(suffix, size);
      return new DownloadRange(size - length, length, true);
    }
    long from = first.get();
    if (from >= size) {
      throw notSatisfiable("Range " + header + " starts at or after the end of the " + size + " bytes");
    }
    if (last.isPresent() && last.get() < from) {
      throw notSatisfiable("Range " + header + " ends before it starts");
    }
    long to = Math.min(last.orElse(size - 1), size - 1);
    return new DownloadRange(from, to - from + 1, true);
  }

  /** The value of the Content-Range header of a 206 answer. */
  public String contentRange(long size) {
    return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
  }

  /** 416; the transport adds {@code Content-Range: bytes *}{@code /size} as RFC 9110 asks. */
  private static ApiException notSatisfiable(String message) {
    return new ApiException(416, "range_not_satisfiable", message);
  }
}
