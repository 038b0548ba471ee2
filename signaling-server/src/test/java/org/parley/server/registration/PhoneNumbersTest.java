package org.parley.server.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.server.api.ApiException;

class PhoneNumbersTest {

  @Test
  void acceptsE164() throws ApiException {
    assertThat(PhoneNumbers.requireE164("+15551234567")).isEqualTo("+15551234567");
  }

  @Test
  void aRefusalRepeatsOnlyTheStartOfTheInputWithoutControlCharacters() {
    String huge = "+1555" + "\r\n<script>".repeat(10_000);
    assertThatThrownBy(() -> PhoneNumbers.requireE164(huge))
        .isInstanceOfSatisfying(ApiException.class, refused -> {
          assertThat(refused.getMessage()).hasSizeLessThan(200).doesNotContain("\r").doesNotContain("\n")
              .contains("'+1555??<script>").contains("…'");
        });
  }

  @Test
  void aShortRefusedInputIsRepeatedWhole() {
    assertThatThrownBy(() -> PhoneNumbers.requireE164("12345"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'12345'");
  }
}
