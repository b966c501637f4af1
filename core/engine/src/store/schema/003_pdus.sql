-- Raw PDUs move to their own table, the blob as the row's last column: SQLite can then write a
-- multi-megabyte download straight into its pages (zeroblob + incremental I/O) instead of
-- building the whole row in memory, which an UPDATE of `messages` did.
CREATE TABLE pdus (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
INSERT INTO pdus (message_id, data) SELECT id, pdu FROM messages WHERE pdu IS NOT NULL;
UPDATE messages SET pdu = NULL WHERE pdu IS NOT NULL;
