-- The daily report cap, counted apart from the reports (issue 16): it was counted over
-- reports.reporter_key, which /olvidarme clears, so forgetting reset the cap and an
-- eleventh report went through the same day. One row per chat and local day;
-- user_key = HMAC of the chat id (purpose 'report_count'), never joined to a report.
-- Rows of past days are deleted by retention.
CREATE TABLE report_counts (
    user_key TEXT NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (user_key, day)
) WITHOUT ROWID;
CREATE INDEX report_counts_day ON report_counts (day);

-- Every reporter link now expires RETENTION_DAYS after the last activity on its report
-- (issue 16), not only links of rejected or closed reports. The family's own use of a
-- report (its status, "my reports", a follow-up answer) is activity too, so a family
-- still following a long detention keeps its link; this is when they last did.
ALTER TABLE reports ADD COLUMN reporter_seen_at TEXT;
