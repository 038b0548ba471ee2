-- A call shown in a conversation: the message row (direction, time, a short text) plus what only calls have.
CREATE TABLE call_entry (
  message_id BIGINT PRIMARY KEY,
  call_id VARCHAR(64) NOT NULL,
  end_reason VARCHAR(32) NOT NULL,
  duration_ms BIGINT NOT NULL,
  CONSTRAINT call_entry_call UNIQUE (call_id)
);
