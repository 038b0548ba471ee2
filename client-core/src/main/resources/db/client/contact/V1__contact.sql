CREATE TABLE contact (
  account_id VARCHAR(64) PRIMARY KEY,
  number VARCHAR(20) NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
