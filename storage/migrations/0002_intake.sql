-- Family intake (issue 3): what a confirmed report needs beyond 0001, and the
-- persistence of unfinished conversations.

-- The receipt code sealed, so the filing chat can be shown it again (a second press of
-- Confirm, the same person reported twice, "my reports"); lookups stay on receipt_hash.
ALTER TABLE reports ADD COLUMN receipt_enc TEXT;
-- A voice note told instead of typing the circumstances: its Telegram file id, sealed.
ALTER TABLE reports ADD COLUMN circumstances_voice_enc TEXT;
-- The random token of the draft a report was confirmed from: a second Confirm of the
-- same draft (even after a crash and restart) finds this row instead of adding one.
ALTER TABLE reports ADD COLUMN draft_token TEXT;
CREATE UNIQUE INDEX reports_draft_token ON reports (draft_token) WHERE draft_token IS NOT NULL;
-- "Same person twice": one chat, one cédula, within a day.
CREATE INDEX reports_reporter_cedula ON reports (reporter_key, cedula_hash, created_at);
CREATE INDEX reports_parent ON reports (parent_report_id);

-- python-telegram-bot persistence (storage/persistence.py): the state of every
-- persistent conversation and each user's data (the intake draft lives there), sealed
-- because they hold a family's unconfirmed answers. conv_key_hash = HMAC of the
-- conversation key (the chat and user ids), conv_key_enc the key itself, sealed.
CREATE TABLE persistence_conversations (
    name TEXT NOT NULL,
    conv_key_hash TEXT NOT NULL,
    conv_key_enc TEXT NOT NULL,
    state_enc TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name, conv_key_hash)
);

-- user_key = HMAC of the user id (purpose 'persistence_user_data'), user_id_enc the id.
CREATE TABLE persistence_user_data (
    user_key TEXT PRIMARY KEY,
    user_id_enc TEXT NOT NULL,
    data_enc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
