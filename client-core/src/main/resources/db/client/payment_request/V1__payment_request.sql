-- A UPI payment request in a conversation and where it stands. The request id names it on both sides and all their
-- devices; the first copy of an id wins (a second one, from anyone, is refused).
CREATE TABLE payment_request (
  request_id VARCHAR(35) PRIMARY KEY,
  message_id BIGINT NOT NULL,
  contact_account VARCHAR(64) NOT NULL,
  our_role VARCHAR(10) NOT NULL,
  payee_vpa VARCHAR(255) NOT NULL,
  payee_name VARCHAR(200) NOT NULL,
  amount_paise BIGINT NOT NULL,
  note VARCHAR(200),
  state VARCHAR(10) NOT NULL,
  utr VARCHAR(12),
  status_at BIGINT NOT NULL,
  CONSTRAINT payment_request_message UNIQUE (message_id),
  CONSTRAINT payment_request_message_fk FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);
