-- Owned by JdbcAttachmentSlots. One row per attachment, from reservation until it expires; the bytes are in the
-- attachment store (data-dir/attachments or S3).
CREATE TABLE attachments (
  id           VARCHAR(64) PRIMARY KEY,
  account_id   VARCHAR(36) NOT NULL,
  size         BIGINT      NOT NULL,
  created_at   BIGINT      NOT NULL,
  completed_at BIGINT,
  expires_at   BIGINT      NOT NULL
);

CREATE INDEX attachments_by_account ON attachments (account_id);
CREATE INDEX attachments_by_expiry ON attachments (expires_at);

-- One row per account that ever reserved an attachment: locked while a reservation checks the quota, so two
-- concurrent reservations cannot both take the last of it.
CREATE TABLE attachment_owners (
  account_id VARCHAR(36) PRIMARY KEY
);
