-- A searched phone gives nothing away (issue 14): the family PIN, the duress PIN and
-- the choices that go with them, one row per private chat.
-- chat_key = HMAC of the chat id (purpose 'secrets'). A PIN is kept only as a slow,
-- salted, keyed digest (scrypt over an HMAC of the PIN under ENCRYPTION_KEY): never
-- sealed, so nothing can turn it back into the digits.
-- lockout = 1: 10 wrong PINs in a row unlink the chat from its reports (issue 21).
-- wrong_streak counts wrong PINs since the last right one.
-- full_news = 1: notifications carry their content instead of "there is news".
-- news_seen_at: when /novedades last showed this chat its news.
-- pending_*: the first typing of a new PIN, until it is typed again to confirm it.
CREATE TABLE chat_secrets (
    chat_key TEXT PRIMARY KEY,
    pin_salt TEXT,
    pin_digest TEXT,
    duress_salt TEXT,
    duress_digest TEXT,
    pending_salt TEXT,
    pending_digest TEXT,
    lockout INTEGER NOT NULL DEFAULT 0 CHECK (lockout IN (0, 1)),
    wrong_streak INTEGER NOT NULL DEFAULT 0 CHECK (wrong_streak >= 0),
    full_news INTEGER NOT NULL DEFAULT 0 CHECK (full_news IN (0, 1)),
    news_seen_at TEXT,
    updated_at TEXT NOT NULL
);

-- The prompts a chat may owe the bot now include a secret (PIN or receipt code) to open
-- an owner view, and the steps of /pin; `target` says what the answer opens or sets.
CREATE TABLE chat_prompts_new (
    chat_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('status_code', 'followup_reply', 'secret', 'pin')),
    followup_id INTEGER REFERENCES followup_messages (id) ON DELETE CASCADE,
    target TEXT,
    expires_at TEXT NOT NULL
);
INSERT INTO chat_prompts_new (chat_key, kind, followup_id, expires_at)
    SELECT chat_key, kind, followup_id, expires_at FROM chat_prompts;
DROP TABLE chat_prompts;
ALTER TABLE chat_prompts_new RENAME TO chat_prompts;
