-- Broadcasts and the durable outbox (issue 6).

-- Broadcast texts may name a released person: they are sealed like every personal
-- field (text_es_enc, text_en_enc); 0001's plaintext text_es stays '' and text_en NULL.
ALTER TABLE broadcasts ADD COLUMN text_es_enc TEXT;
ALTER TABLE broadcasts ADD COLUMN text_en_enc TEXT;
-- Where the sender follows the delivery: their chat (sealed), their language and the
-- progress message the worker keeps editing, also after a restart.
ALTER TABLE broadcasts ADD COLUMN sender_chat_enc TEXT;
ALTER TABLE broadcasts ADD COLUMN sender_language TEXT NOT NULL DEFAULT 'es';
ALTER TABLE broadcasts ADD COLUMN progress_message_id INTEGER;
-- How many outbox rows the broadcast was given when it started.
ALTER TABLE broadcasts ADD COLUMN recipients INTEGER NOT NULL DEFAULT 0;
-- The case a verified-release draft was written for (NULL for composed broadcasts).
ALTER TABLE broadcasts ADD COLUMN case_id INTEGER REFERENCES cases (id);

CREATE INDEX broadcasts_state ON broadcasts (state);
-- Counting a broadcast's deliveries by state for the progress message.
CREATE INDEX outbox_broadcast_state ON outbox (broadcast_id, state);
