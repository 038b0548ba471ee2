-- Attachments of group messages and group pictures (docs/decisions/0140-groups.md, "Attachments and pictures").
-- owner says which table message_id points into: MESSAGE (1:1 message), GROUP_MESSAGE (group_message), or
-- GROUP_PICTURE (none: message_id is 0 and group_id names the group whose state carries the picture's pointer).
ALTER TABLE attachment ADD COLUMN owner VARCHAR(16) NOT NULL DEFAULT 'MESSAGE';
ALTER TABLE attachment ADD COLUMN group_id VARCHAR(32);
CREATE INDEX attachment_group_message ON attachment (owner, message_id, position);
CREATE INDEX attachment_group_picture ON attachment (group_id, owner);
