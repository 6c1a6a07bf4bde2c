-- Rolling chat expiry (issue 21): every message of a private chat is deleted once older
-- than the chat's expiry, and what the bot could not delete is counted, not forgotten.

-- One row per message id: a message noted twice (a retried send) is one message to
-- delete and one to count.
DELETE FROM tracked_messages WHERE id NOT IN (
    SELECT MIN(id) FROM tracked_messages GROUP BY chat_key, message_id
);
CREATE UNIQUE INDEX tracked_messages_chat_message ON tracked_messages (chat_key, message_id);

-- Per private chat: its own expiry when the family chose one in /privacidad (NULL: the
-- default of its role, CHAT_EXPIRY_MINUTES or STAFF_CHAT_EXPIRY_MINUTES; keep = 1: the
-- family keeps its chat), and how many of its messages the bot could not delete
-- (Telegram refused, or they were older than 48 hours): their ids are dropped, the
-- count stays until the family says it deleted the chat on its phone, or /olvidarme.
-- chat_key = HMAC of the chat id under purpose 'tracking', as in tracked_messages.
CREATE TABLE tracked_chats (
    chat_key TEXT PRIMARY KEY,
    chat_id_enc TEXT NOT NULL,
    expiry_minutes INTEGER CHECK (expiry_minutes BETWEEN 1 AND 2820),
    keep INTEGER NOT NULL DEFAULT 0 CHECK (keep IN (0, 1)),
    left_count INTEGER NOT NULL DEFAULT 0 CHECK (left_count >= 0),
    updated_at TEXT NOT NULL
);
CREATE INDEX tracked_chats_choice ON tracked_chats (chat_key)
    WHERE keep = 1 OR expiry_minutes IS NOT NULL;

-- The expiry job looks for due messages by age and groups them by chat: the age index
-- carries the chat too, so it never reads the table to find which chats are due.
DROP INDEX tracked_messages_sent_at;
CREATE INDEX tracked_messages_age ON tracked_messages (sent_at, chat_key);
