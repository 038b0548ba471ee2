-- One-time Kyber keys are deleted when used; the last-resort key stays and its uses are remembered in
-- kyber_prekey_use so that a replayed base key is refused.
CREATE TABLE kyber_prekey (
  id INT PRIMARY KEY,
  record VARBINARY(8000) NOT NULL,
  last_resort BOOLEAN NOT NULL
);
CREATE TABLE kyber_prekey_use (
  kyber_id INT NOT NULL,
  signed_prekey_id INT NOT NULL,
  base_key VARBINARY(100) NOT NULL,
  PRIMARY KEY (kyber_id, signed_prekey_id, base_key)
);
