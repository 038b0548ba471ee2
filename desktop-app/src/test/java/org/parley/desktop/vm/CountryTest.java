package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CountryTest {

  private static final Country US = Country.ALL.get(0);
  private static final Country DE = Country.ALL.stream().filter(c -> c.iso().equals("DE")).findFirst().orElseThrow();

  @Test
  void nationalNumbersGetTheCallingCode() {
    assertThat(US.toE164("(555) 010-0001")).isEqualTo("+15550100001");
    assertThat(DE.toE164("030 1234 5678")).isEqualTo("+493012345678");
  }

  @Test
  void aNumberWithPlusIsTakenAsInternational() {
    assertThat(US.toE164("+44 20 7946 0958")).isEqualTo("+442079460958");
  }

  @Test
  void badNumbersGetAClearError() {
    assertThatThrownBy(() -> US.toE164("")).hasMessage("Enter your phone number");
    assertThatThrownBy(() -> US.toE164("555-CALL-NOW")).hasMessageContaining("only digits");
    assertThatThrownBy(() -> US.toE164("123")).hasMessageContaining("8 to 15 digits");
    assertThatThrownBy(() -> US.toE164("+1234567890123456")).hasMessageContaining("8 to 15 digits");
  }

  @Test
  void labelsNameTheCountryAndCode() {
    assertThat(DE.label()).isEqualTo("Germany (+49)");
  }
}
