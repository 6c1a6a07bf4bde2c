-- A release's court-presentation interval on the case: "every N days" (1–90), as
-- families already give it on release reports (`presentation_days` in their details).
-- NULL when unknown or when the release has no court presentation.
ALTER TABLE cases ADD COLUMN presentation_days INTEGER
    CHECK (presentation_days IS NULL OR presentation_days BETWEEN 1 AND 90);
