-- One record, however it arrived (docs/EXPORTS.md): the same history exports the same way
-- whether it came through the commands, the intake or an import.

-- A merge names the other case by this column, never by a number written in the event's
-- note: an import renumbers cases and maps this column with them, while a note kept the
-- old deployment's number ("merged_from=12" then named somebody else).
ALTER TABLE case_events ADD COLUMN related_case_id INTEGER REFERENCES cases (id);

-- The merged case's own record names the case it joined...
UPDATE case_events
SET related_case_id = (SELECT merged_into FROM cases WHERE cases.id = case_events.case_id)
WHERE kind = 'merged' AND state_before IS NOT state_after;

-- ...and the record on the case it joined names it back: the merged case's record of the
-- same day, written in the same transaction just before.
UPDATE case_events
SET related_case_id = (
    SELECT source.case_id FROM case_events AS source JOIN cases ON cases.id = source.case_id
    WHERE source.kind = 'merged' AND source.state_before IS NOT source.state_after
      AND cases.merged_into = case_events.case_id
      AND source.event_date = case_events.event_date AND source.id < case_events.id
    ORDER BY source.id DESC LIMIT 1
)
WHERE kind = 'merged' AND state_before IS state_after;

-- The notes held nothing but those numbers.
UPDATE case_events SET details_enc = NULL WHERE kind = 'merged';

-- `released_on` is the date of the latest release, and a re-arrest no longer clears it
-- (nor the conditions and the court-presentation interval of that release). Cases
-- re-arrested through /rearrest lost them: the conditions come back from the audit
-- trail of that release, the date from its dated event.
UPDATE cases
SET release_conditions = (
        SELECT (SELECT group_concat(value, ',') FROM json_each(audit.details, '$.conditions'))
        FROM audit_events AS audit
        WHERE audit.target_type = 'case' AND audit.target_id = cases.id
          AND audit.action = 'release' AND json_valid(audit.details)
        ORDER BY audit.id DESC LIMIT 1
    ),
    presentation_days = (
        SELECT json_extract(audit.details, '$.presentation_days')
        FROM audit_events AS audit
        WHERE audit.target_type = 'case' AND audit.target_id = cases.id
          AND audit.action = 'release' AND json_valid(audit.details)
        ORDER BY audit.id DESC LIMIT 1
    )
WHERE released_on IS NULL AND release_conditions IS NULL
  AND EXISTS (SELECT 1 FROM case_events WHERE case_id = cases.id AND kind = 'release');

UPDATE cases
SET released_on = (
    SELECT MAX(event_date) FROM case_events WHERE case_id = cases.id AND kind = 'release'
)
WHERE released_on IS NULL
  AND EXISTS (SELECT 1 FROM case_events WHERE case_id = cases.id AND kind = 'release');

-- An import that corrected `released_on` left the release's dated event as it was: the
-- event takes the corrected date, so the figures count the release on the same day.
UPDATE case_events
SET event_date = (SELECT released_on FROM cases WHERE cases.id = case_events.case_id)
WHERE kind = 'release'
  AND id = (
      SELECT latest.id FROM case_events AS latest
      WHERE latest.case_id = case_events.case_id AND latest.kind = 'release'
      ORDER BY latest.event_date DESC, latest.created_at DESC, latest.id DESC LIMIT 1
  )
  AND event_date <> (SELECT released_on FROM cases WHERE cases.id = case_events.case_id);

-- The story is read in order of effective date, then of recording.
CREATE INDEX case_events_story ON case_events (case_id, event_date, created_at, id);
