package org.parley.client.internal.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.Message;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.internal.store.MessageLocationTable;
import org.parley.client.internal.store.PaymentRequestTable;

/** Adds the places and payment requests that some messages carry, looked up for a whole page at once. */
public final class MessageExtras {

  private final MessageLocationTable locations;
  private final PaymentRequestTable payments;

  public MessageExtras(MessageLocationTable locations, PaymentRequestTable payments) {
    this.locations = locations;
    this.payments = payments;
  }

  /** The messages, each with its place or payment request when it has one; two queries per page. */
  public List<Message> decorate(List<Message> messages) {
    List<Long> ids = new ArrayList<>(messages.size());
    for (Message m : messages) {
      ids.add(m.id());
    }
    Map<Long, Location> places = locations.byMessages(ids);
    Map<Long, PaymentRequestTable.Row> requests = payments.byMessages(ids);
    if (places.isEmpty() && requests.isEmpty()) {
      return messages;
    }
    List<Message> result = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Optional<PaymentRequestEntry> payment = Optional.ofNullable(requests.get(m.id()))
          .map(row -> entry(row, m.contactNumber()));
      Optional<Location> place = Optional.ofNullable(places.get(m.id()));
      result.add(place.isEmpty() && payment.isEmpty() ? m : m.with(place, payment));
    }
    return result;
  }

  public static PaymentRequestEntry entry(PaymentRequestTable.Row row, String contactNumber) {
    return new PaymentRequestEntry(row.request(), row.status(), row.ourRole(), contactNumber, row.messageId(),
        row.statusAt());
  }
}
