-- The one account of this data directory: credentials, our identity and counters for key ids.
CREATE TABLE account (
  id INT PRIMARY KEY CHECK (id = 1),
  server_url VARCHAR(2000) NOT NULL,
  number VARCHAR(20) NOT NULL,
  registration_id INT NOT NULL,
  identity_key_pair VARBINARY(200) NOT NULL,
  password VARCHAR(100) NOT NULL,
  verification_session VARCHAR(100),
  account_id VARCHAR(64),
  device_id INT,
  next_prekey_id INT NOT NULL,
  next_signed_prekey_id INT NOT NULL,
  next_kyber_prekey_id INT NOT NULL,
  read_receipts BOOLEAN NOT NULL DEFAULT TRUE,
  created_at BIGINT NOT NULL
);
