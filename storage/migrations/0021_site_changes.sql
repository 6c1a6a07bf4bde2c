-- Keeping the published site current without rereading every case (issue 18): which
-- cases changed, in the order their changes were committed. The site worker rebuilds
-- only the rows of the open data whose case has a change newer than its last build.
-- One row per case, its newest change; `seq` only grows (writers are serialised), so
-- "every case changed after N" is one range of the index. A case id alone says nothing
-- about anybody; a deleted case keeps its row so the next build drops it from the files.
CREATE TABLE case_changes (
    case_id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
);
CREATE INDEX case_changes_seq ON case_changes (seq);

CREATE TRIGGER case_changes_case_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER case_changes_case_update AFTER UPDATE ON cases
BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER case_changes_case_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER case_changes_event_insert AFTER INSERT ON case_events
BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER case_changes_event_update AFTER UPDATE ON case_events
BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
    INSERT INTO case_changes (case_id, seq)
    SELECT OLD.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes)
    WHERE OLD.case_id IS NOT NEW.case_id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER case_changes_event_delete AFTER DELETE ON case_events
BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

-- "Last updated" is the newest change to a case, a step or an announcement: read from
-- the ends of these indexes instead of every row.
CREATE INDEX cases_updated_at ON cases (updated_at);
CREATE INDEX case_events_created_at ON case_events (created_at);

-- The people the site names: cases whose families consented, newest detention first.
CREATE INDEX cases_published ON cases (detained_on) WHERE publish_consent = 1;
