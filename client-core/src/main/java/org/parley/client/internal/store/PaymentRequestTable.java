package org.parley.client.internal.store;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import org.parley.client.api.payments.Vpa;
import org.parley.client.internal.db.Database;

/**
 * UPI payment requests and where each stands (table {@code payment_request}), one per message row that carried a
 * request. Only what was validated is stored, so reading maps straight back to the API's records.
 */
public final class PaymentRequestTable {
  static final String SCHEMA_VERSION = "1";

  /** A stored request; {@code contactAccount} is the other party. */
  public record Row(PaymentRequest request, PaymentStatus status, PaymentRole ourRole, String contactAccount,
      long messageId, long statusAt) {}

  private static final String COLUMNS = "request_id, payee_vpa, payee_name, amount_paise, note, state, utr, "
      + "our_role, contact_account, message_id, status_at";

  private final Database db;

  public PaymentRequestTable(Database db) {
    this.db = db;
    db.migrate("payment_request", SCHEMA_VERSION);
  }

  /** Stores a new request (status requested); false when its id is taken already (a copy, or someone reusing it). */
  public boolean insert(long messageId, PaymentRequest request, PaymentRole ourRole, String contactAccount,
      long now) {
    return db.inTransaction(c -> {
      if (Jdbc.one(c, "SELECT 1 FROM payment_request WHERE request_id = ?", r -> 1, request.id().value())
          .isPresent()) {
        return false;
      }
      Jdbc.update(c, "INSERT INTO payment_request (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          request.id().value(), request.payee().value(), request.payeeName(),
          request.amount().value().movePointRight(2).longValueExact(), request.note().orElse(null),
          PaymentState.REQUESTED.name(), null, ourRole.name(), contactAccount, messageId, now);
      return true;
    });
  }

  public Optional<Row> byId(PaymentRequestId id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM payment_request WHERE request_id = ?",
        PaymentRequestTable::map, id.value()));
  }

  /** The requests among {@code messageIds}, by message id. */
  public Map<Long, Row> byMessages(List<Long> messageIds) {
    Map<Long, Row> result = new HashMap<>();
    if (messageIds.isEmpty()) {
      return result;
    }
    String in = "?" + ", ?".repeat(messageIds.size() - 1);
    for (Row row : db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM payment_request WHERE "
        + "message_id IN (" + in + ")", PaymentRequestTable::map, messageIds.toArray()))) {
      result.put(row.messageId(), row);
    }
    return result;
  }

  public void setStatus(PaymentRequestId id, PaymentStatus status, long at) {
    db.inTransaction(c -> Jdbc.update(c, "UPDATE payment_request SET state = ?, utr = ?, status_at = ? WHERE "
        + "request_id = ?", status.state().name(), status.utr().map(Utr::value).orElse(null), at, id.value()));
  }

  private static Row map(ResultSet r) throws Exception {
    PaymentRequest request = new PaymentRequest(new PaymentRequestId(r.getString(1)), new Vpa(r.getString(2)),
        r.getString(3), new InrAmount(BigDecimal.valueOf(r.getLong(4), 2)), Optional.ofNullable(r.getString(5)));
    PaymentState state = PaymentState.valueOf(r.getString(6));
    PaymentStatus status = new PaymentStatus(state, Optional.ofNullable(r.getString(7)).map(Utr::new));
    return new Row(request, status, PaymentRole.valueOf(r.getString(8)), r.getString(9), r.getLong(10),
        r.getLong(11));
  }
}
