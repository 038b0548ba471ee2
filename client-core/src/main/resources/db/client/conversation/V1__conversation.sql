-- One conversation per contact (groups come later).
CREATE TABLE conversation (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  contact_account_id VARCHAR(64) NOT NULL UNIQUE,
  last_activity BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
