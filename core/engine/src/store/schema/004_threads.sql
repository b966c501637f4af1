-- Conversations: each message carries the key of its conversation (the participants'
-- comparison keys, sorted) and the participants as the user knows them (a JSON array of their
-- first spellings), so that an inbox page is one query. Rows written by an older library get
-- both on the next open (`Store::without_thread` and `Tx::set_peers`).
ALTER TABLE messages ADD COLUMN thread TEXT;
ALTER TABLE messages ADD COLUMN peers TEXT;
CREATE INDEX messages_thread ON messages (subscription, thread, id);
