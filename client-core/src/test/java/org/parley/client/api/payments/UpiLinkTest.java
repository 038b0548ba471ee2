package org.parley.client.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;

class UpiLinkTest {

  static final PaymentRequestId ID = new PaymentRequestId("PRQ7K2M9X4T8B3N6V5C2");

  @Test
  void theLinkHasEveryParameterPercentEncoded() throws Exception {
    PaymentRequest dinner = PaymentRequest.of(ID, Vpa.parse("alice@okbank"), "Alice Sharma",
        InrAmount.parse("250"), Optional.of("Dinner & drinks, 50% off?"));
    assertThat(dinner.upiLink()).isEqualTo("upi://pay?pa=alice@okbank&pn=Alice%20Sharma&am=250.00&cu=INR"
        + "&tn=Dinner%20%26%20drinks%2C%2050%25%20off%3F&tr=PRQ7K2M9X4T8B3N6V5C2");
    assertThat(URI.create(dinner.upiLink()).getScheme()).isEqualTo("upi"); // a valid URI as java.net reads it

    PaymentRequest noNote = new PaymentRequest(ID, new Vpa("9876543210@ybl"), "राहुल", new InrAmount(
        new BigDecimal("0.5")), Optional.of("   "));
    assertThat(noNote.upiLink()).isEqualTo("upi://pay?pa=9876543210@ybl&pn=%E0%A4%B0%E0%A4%BE%E0%A4%B9%E0%A5%81"
        + "%E0%A4%B2&am=0.50&cu=INR&tr=PRQ7K2M9X4T8B3N6V5C2");
    assertThat(UpiLink.parse(noNote.upiLink())).isEqualTo(noNote);
    assertThat(UpiLink.encode("a+b c~d")).isEqualTo("a%2Bb%20c~d");
  }

  @Test
  void badRequestsAndLinksAreRefused() {
    Vpa vpa = new Vpa("alice@okbank");
    InrAmount amount = new InrAmount(BigDecimal.TEN);
    assertThatThrownBy(() -> PaymentRequest.of(ID, vpa, "  ", amount, Optional.empty()))
        .isInstanceOf(InvalidInputException.class).hasMessage("The payee's name is empty");
    assertThatThrownBy(() -> PaymentRequest.of(ID, vpa, "A".repeat(51), amount, Optional.empty()))
        .hasMessage("The payee's name is too long: 51 characters, at most 50");
    assertThatThrownBy(() -> PaymentRequest.of(ID, vpa, "Alice", amount, Optional.of("n".repeat(51))))
        .hasMessage("The note is too long: 51 characters, at most 50");
    assertThatThrownBy(() -> PaymentRequest.of(ID, vpa, "Alice", amount, Optional.of("two\nlines")))
        .hasMessageContaining("The note contains a control character (U+000A)");
    assertThatThrownBy(() -> PaymentRequest.of(ID, vpa, "Alice", amount, Optional.of("pay \u202E00.052")))
        .hasMessageContaining("bidirectional control character (U+202E)");
    assertThatThrownBy(() -> PaymentRequestId.parse("short")).isInstanceOf(InvalidInputException.class)
        .hasMessage("\"short\" is not a payment request id (8 to 35 letters and digits)");
    assertThatThrownBy(() -> PaymentRequestId.parse("ABCD-EFGH-1234")).hasMessageContaining("not a payment");

    linkRefused("https://pay.example/?pa=a@b", "Not a UPI payment link");
    linkRefused("upi://pay?pa=alice@okbank&pn=A&am=1.00&cu=USD&tr=ABCDEFGH", "UPI payments are in INR, not USD");
    linkRefused("upi://pay?pa=alice@okbank&pn=A&am=1.00&cu=INR", "has no tr parameter");
    linkRefused("upi://pay?pa=alice@okbank&pa=bob@okbank&pn=A&am=1&cu=INR&tr=ABCDEFGH", "the parameter pa twice");
    linkRefused("upi://pay?pa=alice@okbank&pn=A%2&am=1&cu=INR&tr=ABCDEFGH", "broken %-escape");
    linkRefused("upi://pay?pa=alice@okbank&pn=A%FF&am=1&cu=INR&tr=ABCDEFGH", "not UTF-8");
    linkRefused("upi://pay?pa=alice@okbank&pn=A B&am=1&cu=INR&tr=ABCDEFGH", "should be %-encoded at position 2");
    linkRefused("upi://pay?pa=alice@okbank&pn=A&am=0&cu=INR&tr=ABCDEFGH", "more than ₹0");
    linkRefused("upi://pay?pa=alice&pn=A&am=1&cu=INR&tr=ABCDEFGH", "has no @");
    linkRefused("upi://pay?pa=alice@okbank&pn&am=1&cu=INR&tr=ABCDEFGH", "malformed parameter: \"pn\"");
    assertThatThrownBy(() -> UpiLink.encode("broken \uD800")).hasMessageContaining("broken UTF-16");
  }

  @Property(tries = 2000)
  void percentEncodingRoundTripsAnyTextAndLeavesOnlySafeCharacters(@ForAll("text") String text) throws Exception {
    String encoded = UpiLink.encode(text);
    assertThat(encoded).matches("[A-Za-z0-9\\-._~@%]*").doesNotContain("+").doesNotContain(" ");
    assertThat(UpiLink.decode(encoded)).isEqualTo(text);
  }

  @Property(tries = 500)
  void aRequestSurvivesItsLink(@ForAll("requests") PaymentRequest request) throws Exception {
    String link = request.upiLink();
    assertThat(link).startsWith("upi://pay?pa=" + request.payee().value() + "&pn=").contains("&cu=INR&");
    assertThat(UpiLink.parse(link)).isEqualTo(request);
  }

  @Provide
  Arbitrary<String> text() {
    // Any valid Unicode text: BMP characters other than lone surrogates, plus supplementary ones (emoji).
    Arbitrary<String> bmp = Arbitraries.chars().range('\u0000', '\uffff').filter(c -> !Character.isSurrogate(c))
        .map(String::valueOf);
    Arbitrary<String> supplementary = Arbitraries.integers().between(0x10000, 0x10ffff).map(Character::toString);
    return Arbitraries.oneOf(bmp, supplementary, Arbitraries.of(" ", "+", "%", "&", "=", "@", "#", "?"))
        .list().ofMaxSize(40).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<PaymentRequest> requests() {
    Arbitrary<String> safeText = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff')
        .withChars("₹€✓").ofMinLength(1).ofMaxLength(45).filter(s -> !s.isBlank())
        .map(s -> s.replace("✓", "😀")); // a character outside the BMP (withChars takes UTF-16 units)
    Arbitrary<Vpa> vpa = Combinators.combine(
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-").ofMinLength(2).ofMaxLength(30),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz").ofMinLength(2).ofMaxLength(12))
        .as((n, h) -> new Vpa(n + "@" + h));
    Arbitrary<InrAmount> amount = Arbitraries.longs().between(1, 10_000_000)
        .map(p -> new InrAmount(BigDecimal.valueOf(p, 2)));
    Arbitrary<Optional<String>> note = safeText.optional();
    return Combinators.combine(vpa, safeText, amount, note)
        .as((v, name, a, n) -> new PaymentRequest(PaymentRequestId.random(), v, name, a, n));
  }

  private static void linkRefused(String link, String message) {
    assertThatThrownBy(() -> UpiLink.parse(link)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }
}
