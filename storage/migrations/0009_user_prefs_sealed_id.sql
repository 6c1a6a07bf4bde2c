-- The sealed user id beside the language choice, so a key rotation can recompute
-- user_key (an HMAC of the id) for users known nowhere else in the database: without
-- it, a rotation left their row under the old key and the bot forgot their language.
-- Rows written before this migration get it the next time the bot reads them.
ALTER TABLE user_prefs ADD COLUMN user_id_enc TEXT;
