package org.parley.desktop.vm;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.payments.PaymentRequestEntry;

/**
 * The location and payment cards of one conversation's messages, by message id, made once per message as its row
 * is built and kept so a payment's card follows its state. Used on the UI thread only.
 */
public final class MessageCards {

  private final Map<Long, LocationCardViewModel> places = new HashMap<>();
  private final Map<Long, PaymentCardViewModel> payments = new HashMap<>();
  private final ParleyClient client;
  private final Tasks tasks;
  private Consumer<URI> browser = uri -> { };
  private Consumer<String> clipboard = text -> { };

  public MessageCards(ParleyClient client, Tasks tasks) {
    this.client = client;
    this.tasks = tasks;
  }

  /** How the view opens links and copies text (the ViewModels know no JavaFX). */
  public void connect(Consumer<URI> browser, Consumer<String> clipboard) {
    this.browser = browser;
    this.clipboard = clipboard;
  }

  /** Makes (or updates) the card of a message that carries a place or a payment request. */
  void remember(Message m) {
    m.location().ifPresent(place -> places.computeIfAbsent(m.id(), id ->
        new LocationCardViewModel(place, uri -> browser.accept(uri))));
    m.payment().ifPresent(entry -> {
      PaymentCardViewModel card = payments.get(m.id());
      if (card == null) {
        payments.put(m.id(), new PaymentCardViewModel(entry, client, tasks, text -> clipboard.accept(text)));
      } else {
        card.update(entry);
      }
    });
  }

  public Optional<LocationCardViewModel> place(long messageId) {
    return Optional.ofNullable(places.get(messageId));
  }

  public Optional<PaymentCardViewModel> payment(long messageId) {
    return Optional.ofNullable(payments.get(messageId));
  }

  /** A payment request of this conversation changed state. */
  public void paymentChanged(PaymentRequestEntry entry) {
    payment(entry.messageId()).ifPresent(card -> card.update(entry));
  }
}
