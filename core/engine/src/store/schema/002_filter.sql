-- FILTER-1: sender rules per subscription (block drops notifications from an address; allow
-- marks it as known for the auto-download policy). Addresses are stored by their comparison
-- key (last nine digits of a number, or a lowercased e-mail address).
CREATE TABLE origin_filter (
    subscription TEXT NOT NULL,
    address_key TEXT NOT NULL,
    address TEXT NOT NULL,
    rule TEXT NOT NULL CHECK (rule IN ('block', 'allow')),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (subscription, address_key)
);
