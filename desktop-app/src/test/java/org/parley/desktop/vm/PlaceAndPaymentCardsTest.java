package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.Vpa;

/** The location and payment request cards' ViewModels over real clients and a real server, without JavaFX. */
class PlaceAndPaymentCardsTest extends WithAliceAndBob {

  @Test
  void aLocationCardShowsTheHemispheresAndOpensTheMapInTheBrowser() throws Exception {
    List<URI> opened = new CopyOnWriteArrayList<>();
    Location sydney = Location.of(-33.85678, 151.21530, Optional.of(1500.0), Optional.of("Opera House"),
        Optional.of("Bennelong Point"));
    alice.sendLocation(bobNumber, sydney);
    Location received = await().ignoreException(NotFoundException.class) // until the first message arrives
        .until(() -> bob.history(aliceNumber, 20).stream()
        .flatMap(m -> m.location().stream()).findFirst(), Optional::isPresent).orElseThrow();

    LocationCardViewModel card = new LocationCardViewModel(received, opened::add);
    assertThat(card.title).isEqualTo("Opera House");
    assertThat(card.coordinates).isEqualTo("33.85678° S, 151.2153° E");
    assertThat(card.address).contains("Bennelong Point");
    assertThat(card.accuracy).contains("± 1.5 km");
    card.openInMap();
    assertThat(opened).containsExactly(
        URI.create("https://www.openstreetmap.org/?mlat=-33.85678&mlon=151.2153#map=17/-33.85678/151.2153"));
    assertThat(new LocationCardViewModel(Location.of(0, -43.2), opened::add).title).isEqualTo("Location");
  }

  @Test
  void thePayerMarksPaidWithAUtrAndTheRequestersCardFollows() throws Exception {
    PaymentRequestEntry mine = alice.requestPayment(bobNumber, InrAmount.parse("1500.5"), Vpa.parse("alice@okbank"),
        "Alice Sharma", Optional.of("Concert tickets")).payment().orElseThrow();
    PaymentRequestId id = mine.id();
    await().until(() -> state(bob, id) == PaymentState.REQUESTED);
    List<String> clipboard = new CopyOnWriteArrayList<>();

    PaymentCardViewModel requester = h.onUi(() -> new PaymentCardViewModel(mine, alice, h.tasks, clipboard::add));
    PaymentCardViewModel payer = h.onUi(() -> new PaymentCardViewModel(bob.payment(id), bob, h.tasks,
        clipboard::add));
    alice.addListener(new ParleyListener() {
      @Override
      public void paymentChanged(PaymentRequestEntry payment) {
        h.ui.execute(() -> requester.update(payment));
      }
    });

    assertThat(payer.amount).isEqualTo("₹1,500.50");
    assertThat(payer.note).contains("Concert tickets");
    assertThat(payer.payee).isEqualTo("Alice Sharma · alice@okbank");
    assertThat(payer.qrCode.text()).isEqualTo(payer.link).isEqualTo(mine.request().upiLink());
    assertThat(h.onUi(() -> List.of(payer.canMarkPaid.get(), payer.canDecline.get(), payer.canCancel.get())))
        .containsExactly(true, true, false);
    assertThat(h.onUi(() -> List.of(requester.canMarkPaid.get(), requester.canDecline.get(),
        requester.canCancel.get()))).containsExactly(false, false, true);
    assertThat(h.onUi(requester.state::get)).isEqualTo("Waiting for payment");
    h.onUi(payer::copyLink);
    assertThat(clipboard).containsExactly(mine.request().upiLink());

    h.onUi(() -> payer.markPaid("12345"));
    assertThat(h.onUi(payer.error::get)).contains("12 digits");
    assertThat(bob.payment(id).status().state()).isEqualTo(PaymentState.REQUESTED);

    h.onUi(() -> payer.markPaid("4123 4567 8901"));
    await().until(() -> h.onUi(payer.state::get).equals("Paid · UTR 412345678901"));
    assertThat(h.onUi(payer.error::get)).isEmpty();
    assertThat(h.onUi(payer.canDecline::get)).isFalse();
    await().until(() -> h.onUi(requester.state::get).equals("Paid · UTR 412345678901"));
    assertThat(h.onUi(requester.canCancel::get)).isFalse();
  }

  @Test
  void theRequesterCancelsAndAnActionTheRequestNoLongerAllowsShowsTheReason() throws Exception {
    PaymentRequestEntry mine = alice.requestPayment(bobNumber, InrAmount.parse("20"), Vpa.parse("alice@okbank"),
        "Alice", Optional.empty()).payment().orElseThrow();
    await().until(() -> state(bob, mine.id()) == PaymentState.REQUESTED);
    PaymentCardViewModel payer = h.onUi(() -> new PaymentCardViewModel(bob.payment(mine.id()), bob, h.tasks,
        text -> { }));
    PaymentCardViewModel requester = h.onUi(() -> new PaymentCardViewModel(mine, alice, h.tasks, text -> { }));

    h.onUi(requester::cancel);
    await().until(() -> h.onUi(requester.state::get).equals("Cancelled"));
    await().until(() -> state(bob, mine.id()) == PaymentState.CANCELLED);
    // The payer's card was drawn before the cancellation arrived: declining now is refused with the reason.
    h.onUi(payer::decline);
    await().until(() -> h.onUi(payer.error::get).equals("The payment request is already cancelled"));
    assertThat(h.onUi(payer.busy::get)).isFalse();
    assertThat(h.onUi(payer.state::get)).isEqualTo("Pay in your UPI app, then mark it paid");
  }

  private static PaymentState state(ParleyClient client, PaymentRequestId id) {
    try {
      return client.payment(id).status().state();
    } catch (Exception notYet) {
      return null;
    }
  }
}
