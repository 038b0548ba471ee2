-- Paging: history reads (conversation_id, sent_at, id) backwards from the newest (or from a cursor) and stops after
-- LIMIT rows, so a page costs the same in a conversation of 100 or 100,000 messages. The V1 index lacked the id that
-- the ORDER BY breaks ties with, so H2 fetched and sorted the whole conversation for every page. (H2 reads an index
-- in order only when the ORDER BY names all its columns, conversation_id included: see MessageTable.)
-- Unread: counted from (conversation_id, direction, status) alone, not by reading the conversation.
DROP INDEX message_conversation;
CREATE INDEX message_conversation_time ON message (conversation_id, sent_at, id);
CREATE INDEX message_unread ON message (conversation_id, direction, status);
