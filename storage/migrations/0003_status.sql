-- Status, follow-up and notifications (issue 4).

-- The anonymous follow-up thread of a report: questions from the NGO and the
-- reporter's answers. Neither side's Telegram identity is stored here; the text is
-- sealed (context 'followup_messages.text'). An answer points to its question.
CREATE TABLE followup_messages (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('ngo', 'reporter')),
    text_enc TEXT NOT NULL,
    in_reply_to INTEGER REFERENCES followup_messages (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX followup_messages_report ON followup_messages (report_id, id);

-- What a private chat was asked to type next (a receipt code, or the answer to a
-- follow-up question), so the next text is understood even after a restart.
-- chat_key = HMAC of the chat id (purpose 'prompt'); rows expire.
CREATE TABLE chat_prompts (
    chat_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('status_code', 'followup_reply')),
    followup_id INTEGER REFERENCES followup_messages (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

-- Receipt-code guessing throttle: one row per wrong code, and the lockouts it caused.
-- user_key = HMAC of the Telegram user id (purpose 'throttle').
CREATE TABLE guess_failures (
    id INTEGER PRIMARY KEY,
    user_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX guess_failures_user ON guess_failures (user_key, at);
CREATE INDEX guess_failures_at ON guess_failures (at);

CREATE TABLE guess_lockouts (
    user_key TEXT PRIMARY KEY,
    until TEXT NOT NULL
);

-- The last state each reporter was told about: a notification is queued only when
-- what the reporter would read differs from it, so one change makes one message.
CREATE TABLE report_notices (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    signature TEXT NOT NULL,
    notified_at TEXT NOT NULL
);
