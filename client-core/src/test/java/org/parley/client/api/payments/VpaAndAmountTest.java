package org.parley.client.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;

class VpaAndAmountTest {

  @Test
  void upiIdsAreNameAtHandle() throws Exception {
    Vpa vpa = Vpa.parse(" Alice.Sharma-92_x@OkBank ");
    assertThat(vpa.value()).isEqualTo("alice.sharma-92_x@okbank");
    assertThat(vpa.name()).isEqualTo("alice.sharma-92_x");
    assertThat(vpa.handle()).isEqualTo("okbank");
    assertThat(Vpa.parse("9876543210@ybl")).hasToString("9876543210@ybl");
    assertThat(Vpa.parse("ab@ok2")).isEqualTo(new Vpa("AB@OK2"));
  }

  @Test
  void badUpiIdsAreRefusedWithTheReason() {
    refused("alice", "A UPI ID looks like name@bank (e.g. alice@okbank); \"alice\" has no @");
    refused("a@b@c", "A UPI ID has one @; \"a@b@c\" has more");
    refused("a@okbank", "The name before @ in a UPI ID has at least 2 characters: \"a@okbank\"");
    refused("@okbank", "at least 2 characters");
    refused("ali ce@okbank", "may only hold letters, digits, '.', '-' and '_', not a space: \"ali ce@okbank\"");
    refused("alice+1@okbank", "not '+'");
    refused("ålice@okbank", "not U+00E5");
    refused("al\u0000ice@okbank", "not U+0000");
    refused("alice@", "The bank handle after @ in a UPI ID has 2 to 64 characters");
    refused("alice@o", "has 2 to 64 characters");
    refused("alice@ok-bank", "may only hold letters and digits, not '-'");
    refused("alice@1bank", "starts with a letter");
    refused("alice@" + "b".repeat(65), "has 2 to 64 characters");
    refused("a".repeat(191) + "@" + "b".repeat(64), "A UPI ID has at most 255 characters, not 256");
    assertThat(new Vpa("a".repeat(190) + "@" + "b".repeat(64)).value()).hasSize(255);
  }

  @Test
  void amountsAreRupeesWithPaiseWithinTheLimit() throws Exception {
    assertThat(InrAmount.parse("250").toUpiString()).isEqualTo("250.00");
    assertThat(InrAmount.parse("250.5").toUpiString()).isEqualTo("250.50");
    assertThat(InrAmount.parse(" 0.01 ").toUpiString()).isEqualTo("0.01");
    assertThat(InrAmount.parse("100000").formatted()).isEqualTo("₹1,00,000.00");
    assertThat(InrAmount.parse("1500.5").formatted()).isEqualTo("₹1,500.50");
    assertThat(InrAmount.parse("12345.67").formatted()).isEqualTo("₹12,345.67");
    assertThat(InrAmount.parse("999").formatted()).isEqualTo("₹999.00");
    assertThat(InrAmount.of(new BigDecimal("250.000"))).isEqualTo(InrAmount.parse("250"));
  }

  @Test
  void badAmountsAreRefusedWithTheReason() {
    amountRefused("0", "The amount must be more than ₹0, not 0");
    amountRefused("0.00", "more than ₹0, not 0.00");
    assertThatThrownBy(() -> InrAmount.of(new BigDecimal("-5"))).isInstanceOf(InvalidInputException.class)
        .hasMessage("The amount must be more than ₹0, not -5");
    amountRefused("-5", "\"-5\" is not an amount in rupees: write digits with a dot before the paise and no "
        + "separators, e.g. 1500.50");
    amountRefused("250.005", "An amount in rupees has at most 2 decimals (paise), not 250.005");
    amountRefused("100000.01", "UPI allows at most ₹1,00,000.00 in one payment; 100000.01 is more");
    amountRefused("1,00,000", "is not an amount in rupees");
    amountRefused("1e3", "is not an amount in rupees");
    amountRefused("₹250", "is not an amount in rupees");
    amountRefused("", "is not an amount in rupees");
    amountRefused("9".repeat(1000), "\"99999999999999999999…\" is not an amount");
  }

  @Property
  void everyWellFormedUpiIdIsAcceptedAsItIs(@ForAll("vpas") String vpa) throws Exception {
    assertThat(Vpa.parse(vpa).value()).isEqualTo(vpa);
  }

  @Property
  void aUpiIdWithAForbiddenCharacterInItsNameIsRefused(@ForAll("vpas") String vpa,
      @ForAll @CharRange(from = ' ', to = '\u00ff') char c) {
    boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
        || c == '-' || c == '_';
    String withC = vpa.charAt(0) + String.valueOf(c) + vpa.substring(1);
    if (allowed) {
      assertThat(new Vpa(withC).value()).isEqualTo(withC.toLowerCase(Locale.ROOT));
    } else if (c != '@' && c != ' ') {
      assertThatThrownBy(() -> Vpa.parse(withC)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("The name before @ in a UPI ID may only hold");
    }
  }

  @Property
  void anyWholeNumberOfPaiseUpToTheLimitIsAnAmount(@ForAll @LongRange(min = 1, max = 10_000_000) long paise)
      throws Exception {
    BigDecimal rupees = BigDecimal.valueOf(paise, 2);
    InrAmount amount = InrAmount.parse(rupees.toPlainString());
    assertThat(amount.value()).isEqualTo(rupees);
    assertThat(new BigDecimal(amount.toUpiString())).isEqualByComparingTo(rupees);
    assertThat(amount.formatted().replace(",", "")).isEqualTo("₹" + rupees.toPlainString());
  }

  @Property
  void fractionsOfAPaisaAndAmountsOverTheLimitAreRefused(
      @ForAll @LongRange(min = 1, max = 100_000_000) long tenthsOfPaise,
      @ForAll @LongRange(min = 10_000_001, max = Long.MAX_VALUE / 2) long paiseOverLimit) {
    if (tenthsOfPaise % 10 != 0) {
      assertThatThrownBy(() -> InrAmount.of(BigDecimal.valueOf(tenthsOfPaise, 3)))
          .hasMessageContaining("at most 2 decimals");
    }
    assertThatThrownBy(() -> InrAmount.of(BigDecimal.valueOf(paiseOverLimit, 2)))
        .hasMessageContaining("UPI allows at most ₹1,00,000.00");
  }

  @Provide
  Arbitrary<String> vpas() {
    Arbitrary<String> name = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
        .ofMinLength(2).ofMaxLength(60);
    Arbitrary<String> handle = Combinators.combine(Arbitraries.chars().range('a', 'z'),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(20))
        .as((first, rest) -> first + rest);
    return Combinators.combine(name, handle).as((n, h) -> n + "@" + h);
  }

  private static void refused(String vpa, String message) {
    assertThatThrownBy(() -> Vpa.parse(vpa)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  private static void amountRefused(String amount, String message) {
    assertThatThrownBy(() -> InrAmount.parse(amount)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }
}
