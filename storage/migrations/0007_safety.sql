-- Safety and privacy (issue 7): message tracking for /wipe, privacy preferences,
-- quarantine of blocked users' reports.

-- Ids of the messages in private chats (the bot's and the user's), so that /wipe can
-- delete them. Rows older than 48 hours are purged: Telegram no longer lets a bot
-- delete such messages. chat_key = HMAC of the chat id (purpose 'tracking', distinct
-- from every other table so a stolen file cannot join them without the key).
CREATE TABLE tracked_messages (
    id INTEGER PRIMARY KEY,
    chat_key TEXT NOT NULL,
    chat_id_enc TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX tracked_messages_chat ON tracked_messages (chat_key, sent_at);
CREATE INDEX tracked_messages_sent_at ON tracked_messages (sent_at);

-- /privacy choices; user_key = HMAC of the user id (purpose 'privacy'). The sealed id
-- is there so a key rotation can recompute user_key.
CREATE TABLE privacy_prefs (
    user_key TEXT PRIMARY KEY,
    user_id_enc TEXT NOT NULL,
    auto_wipe INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- Users whose future reports are quarantined (/block). user_key = HMAC of the user id
-- (purpose 'blocked'); the user is never told.
CREATE TABLE blocked_users (
    user_key TEXT PRIMARY KEY,
    user_id_enc TEXT NOT NULL,
    blocked_by_key TEXT,
    blocked_at TEXT NOT NULL
);

-- A quarantined report is kept but stays out of the moderation queue and notices.
ALTER TABLE reports ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0;
