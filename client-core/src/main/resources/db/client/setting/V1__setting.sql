-- Small settings of this device that are not the account's (e.g. the auto-download limit), one row each.
CREATE TABLE setting (
  name VARCHAR(64) PRIMARY KEY,
  setting_value VARCHAR(1000) NOT NULL
);
