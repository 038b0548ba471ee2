-- PostgreSQL only (ADR 0150). Every server sharing the database takes message ids in blocks of 1024: block b is ids
-- b * 1024 to b * 1024 + 1023, so two servers never hand out the same id and a restarted one never reuses its own.
CREATE SEQUENCE message_id_blocks START WITH 1 INCREMENT BY 1;
