-- A draft's token is its report's idempotency key, and it was short (24 bits, sized
-- for button data): among a hundred thousand reports, a new draft could match another
-- family's report, and Confirm would have answered "already saved" with that family's
-- receipt code. Tokens are now 64 bits, the lookup is scoped to the reporting chat,
-- and uniqueness is per chat, so two families' equal tokens are two reports.
DROP INDEX reports_draft_token;
CREATE UNIQUE INDEX reports_reporter_draft ON reports (reporter_key, draft_token)
    WHERE draft_token IS NOT NULL;
