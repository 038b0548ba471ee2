CREATE TABLE sender_key (
  account_id VARCHAR(64) NOT NULL,
  device_id INT NOT NULL,
  distribution_id UUID NOT NULL,
  record VARBINARY(100000) NOT NULL,
  PRIMARY KEY (account_id, device_id, distribution_id)
);
