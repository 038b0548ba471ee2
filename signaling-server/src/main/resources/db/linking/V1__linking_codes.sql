-- Owned by JdbcLinkingCodes. Single-use linking codes, by the SHA-256 of the code (the code itself is never
-- stored), so a new device may present on any server of a cluster the code its primary got from another (ADR 0151).
CREATE TABLE linking_codes (
  code_hash  VARCHAR(44) PRIMARY KEY,
  account_id VARCHAR(36) NOT NULL,
  expires_at BIGINT      NOT NULL
);
CREATE INDEX linking_codes_expiry ON linking_codes (expires_at);
