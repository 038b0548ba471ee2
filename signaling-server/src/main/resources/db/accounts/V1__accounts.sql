-- Owned by JdbcAccountStore. Portable SQL (H2 and PostgreSQL).
CREATE TABLE accounts (
  account_id VARCHAR(36) PRIMARY KEY,
  number     VARCHAR(20) NOT NULL,
  created    BIGINT      NOT NULL,
  CONSTRAINT accounts_number_unique UNIQUE (number)
);

CREATE TABLE devices (
  account_id      VARCHAR(36)  NOT NULL,
  device_id       INTEGER      NOT NULL,
  registration_id INTEGER      NOT NULL,
  password_hash   VARCHAR(200) NOT NULL,
  name            VARCHAR(100) NOT NULL,
  created         BIGINT       NOT NULL,
  last_seen       BIGINT       NOT NULL,
  PRIMARY KEY (account_id, device_id),
  CONSTRAINT devices_account_fk FOREIGN KEY (account_id) REFERENCES accounts (account_id) ON DELETE CASCADE
);
