package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.PaymentRequest;

/**
 * The "Share location" and "Request payment" sheets' ViewModels, without JavaFX, over real clients and a real
 * server: nothing is sent until a place is picked (no guessing), typing and the map move each other, each payment
 * field shows its own problem, and what is sent arrives.
 */
class PlaceAndPaymentSheetsTest extends WithAliceAndBob {

  @Test
  void aPlaceIsPickedByTypingOrByTheMapAndArrivesWithItsLabel() throws Exception {
    List<Message> sent = new CopyOnWriteArrayList<>();
    ShareLocationViewModel vm = h.onUi(() -> new ShareLocationViewModel(bobNumber, alice, h.tasks, sent::add));
    h.onUi(vm::show);
    assertThat(h.onUi(() -> vm.viewport.zoom())).isEqualTo(ShareLocationViewModel.START_ZOOM);
    h.onUi(vm::send);
    assertThat(h.onUi(vm.error::get)).isEqualTo("Move the map to the place or type its coordinates");

    h.onUi(() -> vm.typed("91, 0"));
    assertThat(h.onUi(vm.error::get)).contains("Latitude must be between -90 and 90");
    assertThat(h.onUi(vm::place)).isEmpty();
    h.onUi(vm::send);
    assertThat(h.onUi(vm.error::get)).contains("Latitude must be between -90 and 90");

    h.onUi(() -> vm.typed("https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448"));
    assertThat(h.onUi(vm.error::get)).isEmpty();
    assertThat(h.onUi(() -> vm.viewport.zoom())).isEqualTo(ShareLocationViewModel.PLACE_ZOOM);
    assertThat(h.onUi(() -> vm.viewport.center().latitude())).isCloseTo(48.85837, within(1e-9));
    assertThat(h.onUi(vm.mapMoved::get)).isEqualTo(1);

    // Dragged 100 px west at zoom 16: the pin's place moves east by 100 px' worth of longitude.
    h.onUi(() -> {
      vm.viewport.panBy(-100, 0);
      vm.mapMovedByHand();
    });
    double east = 2.29448 + 100 * 360.0 / (256 * 65536);
    assertThat(h.onUi(vm.coordinates::get)).isEqualTo(Coordinates.format(48.85837, east));
    assertThat(h.onUi(vm::place).orElseThrow().longitude()).isCloseTo(east, within(1e-9));

    h.onUi(() -> vm.label.set("x".repeat(Location.MAX_NAME_LENGTH + 1)));
    h.onUi(vm::send);
    assertThat(h.onUi(vm.error::get)).contains("The place's name");
    h.onUi(() -> vm.label.set("  Café de l'Homme  "));
    h.onUi(vm::send);
    await().until(() -> h.onUi(() -> !vm.open.get()));
    assertThat(sent).hasSize(1);
    assertThat(h.onUi(vm.coordinates::get)).isEmpty();
    assertThat(h.onUi(vm.label::get)).isEmpty();
    assertThat(h.onUi(() -> vm.viewport.zoom())).isEqualTo(ShareLocationViewModel.START_ZOOM);

    Location got = await().ignoreException(NotFoundException.class) // until the first message arrives
        .until(() -> bob.history(aliceNumber, 10).stream().flatMap(m -> m.location().stream())
        .findFirst(), Optional::isPresent).orElseThrow();
    assertThat(got.latitude()).isCloseTo(48.85837, within(1e-6));
    assertThat(got.longitude()).isCloseTo(east, within(1e-6));
    assertThat(got.name()).contains("Café de l'Homme");
  }

  @Test
  void eachPaymentFieldShowsItsProblemAndAGoodRequestArrives() throws Exception {
    List<Message> sent = new CopyOnWriteArrayList<>();
    PaymentRequestViewModel vm = h.onUi(() -> new PaymentRequestViewModel(bobNumber, alice, h.tasks, sent::add));
    h.onUi(vm::show);
    h.onUi(vm::send);
    assertThat(h.onUi(vm.amountError::get)).isEqualTo("How much? e.g. 250 or 1500.50");
    assertThat(h.onUi(vm.vpaError::get)).startsWith("Your UPI ID");
    assertThat(h.onUi(vm.nameError::get)).startsWith("Your name");
    assertThat(h.onUi(vm.noteError::get)).isEmpty();

    String[][] amounts = {
        {"0", "more than ₹0"},
        {"-5", "is not an amount in rupees"},
        {"1.234", "at most 2 decimals"},
        {"100000.01", "at most ₹1,00,000.00"},
        {"1,500", "is not an amount in rupees"},
    };
    for (String[] bad : amounts) {
      h.onUi(() -> vm.amount.set(bad[0]));
      h.onUi(vm::send);
      assertThat(h.onUi(vm.amountError::get)).as(bad[0]).contains(bad[1]);
    }
    String[][] vpas = {
        {"alice", "has no @"},
        {"a@okbank", "at least 2 characters"},
        {"alice@ok bank", "a space"},
        {"alice@1bank", "starts with a letter"},
    };
    for (String[] bad : vpas) {
      h.onUi(() -> vm.vpa.set(bad[0]));
      h.onUi(vm::send);
      assertThat(h.onUi(vm.vpaError::get)).as(bad[0]).contains(bad[1]);
    }
    h.onUi(() -> {
      vm.amount.set("₹ 250.5");
      vm.vpa.set("Alice.Rao@OKBank");
      vm.payeeName.set("Alice Rao");
      vm.note.set("n".repeat(51));
    });
    h.onUi(vm::send);
    assertThat(h.onUi(vm.amountError::get)).isEmpty();
    assertThat(h.onUi(vm.vpaError::get)).isEmpty();
    assertThat(h.onUi(vm.noteError::get)).contains("The note");
    assertThat(sent).isEmpty();

    h.onUi(() -> vm.note.set("Dinner"));
    h.onUi(vm::send);
    await().until(() -> h.onUi(() -> !vm.open.get()));
    assertThat(sent).hasSize(1);
    // Ready for the next request: the amount and note go, our UPI ID and name stay.
    assertThat(h.onUi(vm.amount::get)).isEmpty();
    assertThat(h.onUi(vm.vpa::get)).isEqualTo("Alice.Rao@OKBank");

    PaymentRequest got = await().ignoreException(NotFoundException.class) // until the first message arrives
        .until(() -> bob.history(aliceNumber, 10).stream()
        .flatMap(m -> m.payment().stream()).findFirst(), Optional::isPresent).orElseThrow().request();
    assertThat(got.amount().toUpiString()).isEqualTo("250.50");
    assertThat(got.payee().value()).isEqualTo("alice.rao@okbank");
    assertThat(got.note()).contains("Dinner");
  }
}
