CREATE TABLE session (
  account_id VARCHAR(64) NOT NULL,
  device_id INT NOT NULL,
  record VARBINARY(100000) NOT NULL,
  PRIMARY KEY (account_id, device_id)
);
