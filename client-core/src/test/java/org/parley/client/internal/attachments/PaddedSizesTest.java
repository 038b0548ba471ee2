package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PaddedSizesTest {

  @Property
  void aBucketHoldsTheSizeAndCostsAtMostFivePercent(@ForAll @LongRange(min = 0, max = 1L << 39) long size) {
    long padded = PaddedSizes.paddedSize(size);
    assertThat(padded).isGreaterThanOrEqualTo(size);
    assertThat(padded).isLessThanOrEqualTo(Math.max(PaddedSizes.SMALLEST, (long) Math.ceil(size * 1.05)));
    assertThat(PaddedSizes.paddedSize(padded)).as("a bucket size is its own bucket").isEqualTo(padded);
  }

  @Property
  void biggerFilesNeverGetSmallerBuckets(@ForAll @LongRange(min = 0, max = 1L << 36) long size) {
    assertThat(PaddedSizes.paddedSize(size + 1)).isGreaterThanOrEqualTo(PaddedSizes.paddedSize(size));
  }

  @Test
  void aHundredMegabytesFitInAFewHundredBuckets() {
    Set<Long> buckets = new HashSet<>();
    for (long size = 0; size <= 100_000_000; size = size * 101 / 100 + 1) {
      buckets.add(PaddedSizes.paddedSize(size));
    }
    assertThat(buckets.size()).isBetween(100, 250);
    assertThat(PaddedSizes.paddedSize(0)).isEqualTo(1024);
    assertThat(PaddedSizes.paddedSize(1024)).isEqualTo(1024);
    assertThat(PaddedSizes.paddedSize(1025)).isEqualTo(1076);
  }

  @Test
  void impossibleSizesAreRefused() {
    assertThatThrownBy(() -> PaddedSizes.paddedSize(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PaddedSizes.paddedSize((1L << 40) + 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
