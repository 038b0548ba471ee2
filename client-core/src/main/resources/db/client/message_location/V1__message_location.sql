-- A place shared in a conversation: the message row (direction, time, a text describing it) plus the place.
CREATE TABLE message_location (
  message_id BIGINT PRIMARY KEY,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  accuracy_meters DOUBLE PRECISION,
  name VARCHAR(400),
  address VARCHAR(1200),
  CONSTRAINT message_location_message FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);
