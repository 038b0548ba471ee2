package org.parley.server.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.server.api.ApiException;

/** The two range headers: Content-Range on uploads, Range on downloads. */
class RangesTest {

  private static final OptionalLong NONE = OptionalLong.empty();

  @Test
  void anUploadWithoutContentRangeStartsAtZero() throws ApiException {
    assertThat(UploadRange.of(null, OptionalLong.of(500), 1000)).isEqualTo(new UploadRange(0, 500, OptionalLong.of(500)));
    assertThat(UploadRange.of(null, NONE, 1000)).as("chunked: up to the size").isEqualTo(new UploadRange(0, 1000, NONE));
  }

  @Test
  void contentRangeGivesStartAndEnd() throws ApiException {
    assertThat(UploadRange.of("bytes 200-999/1000", OptionalLong.of(800), 1000))
        .isEqualTo(new UploadRange(200, 1000, OptionalLong.of(800)));
    assertThat(UploadRange.of("bytes 0-0/1000", NONE, 1000)).isEqualTo(new UploadRange(0, 1, NONE));
  }

  @Test
  void badUploadRangesAreRefusedWithTheirReason() {
    assertRefused(() -> UploadRange.of(null, OptionalLong.of(1001), 1000), 413, "attachment_too_large");
    assertRefused(() -> UploadRange.of("bytes 0-9/2000", NONE, 1000), 400, "size_mismatch");
    assertRefused(() -> UploadRange.of("bytes 9-0/1000", NONE, 1000), 400, "invalid_content_range");
    assertRefused(() -> UploadRange.of("bytes 0-1000/1000", NONE, 1000), 400, "invalid_content_range");
    assertRefused(() -> UploadRange.of("bytes */1000", NONE, 1000), 400, "invalid_content_range");
    assertRefused(() -> UploadRange.of("0-9/1000", NONE, 1000), 400, "invalid_content_range");
    assertRefused(() -> UploadRange.of("bytes 0-9/1000", OptionalLong.of(11), 1000), 400, "content_length_mismatch");
  }

  @Test
  void downloadRangesAreClippedToTheSize() throws ApiException {
    assertThat(DownloadRange.of(null, 100)).isEqualTo(new DownloadRange(0, 100, false));
    assertThat(DownloadRange.of("bytes=10-19", 100)).isEqualTo(new DownloadRange(10, 10, true));
    assertThat(DownloadRange.of("bytes=90-", 100)).isEqualTo(new DownloadRange(90, 10, true));
    assertThat(DownloadRange.of("bytes=90-500", 100)).isEqualTo(new DownloadRange(90, 10, true));
    assertThat(DownloadRange.of("bytes=-30", 100)).isEqualTo(new DownloadRange(70, 30, true));
    assertThat(DownloadRange.of("bytes=-300", 100)).isEqualTo(new DownloadRange(0, 100, true));
    assertThat(DownloadRange.of("bytes=10-19", 100).contentRange(100)).isEqualTo("bytes 10-19/100");
  }

  @Test
  void downloadRangesOutsideTheAttachmentOrSeveralAtOnceAre416() {
    for (String bad : new String[] {"bytes=100-", "bytes=-0", "bytes=5-4", "bytes=-", "bytes=0-1,3-4", "lines=1-2",
        "bytes=99999999999999999999-"}) {
      assertRefused(() -> DownloadRange.of(bad, 100), 416, "range_not_satisfiable");
    }
  }

  private interface Call {
    Object run() throws ApiException;
  }

  private static void assertRefused(Call call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
    });
  }
}
