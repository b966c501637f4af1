-- mms-core store, version 1.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    subscription TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    state TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    message_id TEXT,
    content_location TEXT,
    from_addr TEXT,
    subject TEXT,
    date INTEGER,
    size INTEGER,
    expires_at INTEGER,
    raw_notification BLOB,
    pdu BLOB,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    read INTEGER NOT NULL DEFAULT 0,
    delivery_report INTEGER NOT NULL DEFAULT 0,
    read_report INTEGER NOT NULL DEFAULT 0,
    deferred INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (subscription, direction, transaction_id)
);
CREATE INDEX messages_state ON messages (subscription, state);
CREATE INDEX messages_message_id ON messages (message_id);

CREATE TABLE parts (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    name TEXT,
    content_id TEXT,
    content_location TEXT,
    data BLOB NOT NULL,
    PRIMARY KEY (message_id, idx)
);

CREATE TABLE recipients (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    kind TEXT NOT NULL,
    delivery_status TEXT,
    delivery_at INTEGER,
    read_status TEXT,
    read_at INTEGER,
    PRIMARY KEY (message_id, address)
);

CREATE TABLE notifications_seen (
    subscription TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    content_location TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (subscription, transaction_id, content_location)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    area TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    threat TEXT,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_reason ON audit_log (reason);

CREATE TABLE profiles (
    subscription TEXT PRIMARY KEY,
    toml TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE origins (
    address TEXT PRIMARY KEY,
    list TEXT NOT NULL CHECK (list IN ('block', 'allow'))
);

CREATE TABLE applied_documents (
    digest TEXT PRIMARY KEY,
    applied_at INTEGER NOT NULL
);

CREATE TABLE pin_attempts (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    failures INTEGER NOT NULL
);
