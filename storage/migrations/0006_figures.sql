-- Verified figures (issue 6): official announcements, two small summaries that keep
-- /cifras independent of the number of cases, and a change counter for its cache.

-- A figure the authorities published ("over 400 released since 8 January"), recorded by
-- a broadcaster. The source is free text typed by staff, so it is sealed like any other.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    claimed_count INTEGER NOT NULL CHECK (claimed_count > 0),
    since_date TEXT NOT NULL,
    source_enc TEXT NOT NULL,
    created_by_key TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX announcements_recent ON announcements (since_date, id);

-- People deprived of liberty (detained, disappeared, house arrest) of unmerged cases,
-- counted per combination of the published breakdowns; '' = not recorded. Kept exact
-- by the triggers below; storage/figures.py rebuilds it after a bulk load.
CREATE TABLE figures_deprived (
    state TEXT NOT NULL,
    sex TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    is_minor INTEGER NOT NULL,
    federal_entity TEXT NOT NULL,
    detaining_body TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (state, sex, affiliation, is_minor, federal_entity, detaining_body)
) WITHOUT ROWID;

-- Per day: case events of unmerged cases by kind, and 'detention' = unmerged cases by
-- their detained_on. Releases, re-arrests, "since the announced date" and the weekly
-- chart are sums over a few hundred of these rows.
CREATE TABLE figures_daily (
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, day)
) WITHOUT ROWID;

INSERT INTO figures_deprived
    (state, sex, affiliation, is_minor, federal_entity, detaining_body, n)
SELECT state, COALESCE(sex, ''), COALESCE(affiliation, ''), is_minor,
       COALESCE(federal_entity, ''), COALESCE(detaining_body, ''), COUNT(*)
FROM cases
WHERE merged_into IS NULL AND state IN ('detained', 'disappeared', 'house_arrest')
GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO figures_daily (kind, day, n)
SELECT 'detention', detained_on, COUNT(*) FROM cases
WHERE merged_into IS NULL AND detained_on IS NOT NULL
GROUP BY detained_on;

INSERT INTO figures_daily (kind, day, n)
SELECT e.kind, e.event_date, COUNT(*) FROM case_events AS e JOIN cases AS c ON c.id = e.case_id
WHERE c.merged_into IS NULL
GROUP BY e.kind, e.event_date;

CREATE TRIGGER figures_deprived_insert AFTER INSERT ON cases
WHEN NEW.merged_into IS NULL AND NEW.state IN ('detained', 'disappeared', 'house_arrest')
BEGIN
    INSERT INTO figures_deprived
        (state, sex, affiliation, is_minor, federal_entity, detaining_body, n)
    VALUES (NEW.state, COALESCE(NEW.sex, ''), COALESCE(NEW.affiliation, ''), NEW.is_minor,
            COALESCE(NEW.federal_entity, ''), COALESCE(NEW.detaining_body, ''), 1)
    ON CONFLICT (state, sex, affiliation, is_minor, federal_entity, detaining_body)
    DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER figures_deprived_delete AFTER DELETE ON cases
WHEN OLD.merged_into IS NULL AND OLD.state IN ('detained', 'disappeared', 'house_arrest')
BEGIN
    UPDATE figures_deprived SET n = n - 1
    WHERE state = OLD.state AND sex = COALESCE(OLD.sex, '')
      AND affiliation = COALESCE(OLD.affiliation, '') AND is_minor = OLD.is_minor
      AND federal_entity = COALESCE(OLD.federal_entity, '')
      AND detaining_body = COALESCE(OLD.detaining_body, '');
END;

CREATE TRIGGER figures_deprived_update
AFTER UPDATE OF state, sex, affiliation, is_minor, federal_entity, detaining_body, merged_into
ON cases
BEGIN
    UPDATE figures_deprived SET n = n - 1
    WHERE OLD.merged_into IS NULL AND OLD.state IN ('detained', 'disappeared', 'house_arrest')
      AND state = OLD.state AND sex = COALESCE(OLD.sex, '')
      AND affiliation = COALESCE(OLD.affiliation, '') AND is_minor = OLD.is_minor
      AND federal_entity = COALESCE(OLD.federal_entity, '')
      AND detaining_body = COALESCE(OLD.detaining_body, '');
    INSERT INTO figures_deprived
        (state, sex, affiliation, is_minor, federal_entity, detaining_body, n)
    SELECT NEW.state, COALESCE(NEW.sex, ''), COALESCE(NEW.affiliation, ''), NEW.is_minor,
           COALESCE(NEW.federal_entity, ''), COALESCE(NEW.detaining_body, ''), 1
    WHERE NEW.merged_into IS NULL AND NEW.state IN ('detained', 'disappeared', 'house_arrest')
    ON CONFLICT (state, sex, affiliation, is_minor, federal_entity, detaining_body)
    DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER figures_detention_insert AFTER INSERT ON cases
WHEN NEW.merged_into IS NULL AND NEW.detained_on IS NOT NULL
BEGIN
    INSERT INTO figures_daily (kind, day, n) VALUES ('detention', NEW.detained_on, 1)
    ON CONFLICT (kind, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER figures_detention_delete AFTER DELETE ON cases
WHEN OLD.merged_into IS NULL AND OLD.detained_on IS NOT NULL
BEGIN
    UPDATE figures_daily SET n = n - 1 WHERE kind = 'detention' AND day = OLD.detained_on;
END;

-- A merge (or its undoing) takes the case's detention and all its events out of (or
-- back into) the daily counts.
CREATE TRIGGER figures_daily_case_update AFTER UPDATE OF detained_on, merged_into ON cases
BEGIN
    UPDATE figures_daily SET n = n - 1
    WHERE OLD.merged_into IS NULL AND kind = 'detention' AND day = OLD.detained_on;
    INSERT INTO figures_daily (kind, day, n)
    SELECT 'detention', NEW.detained_on, 1
    WHERE NEW.merged_into IS NULL AND NEW.detained_on IS NOT NULL
    ON CONFLICT (kind, day) DO UPDATE SET n = n + 1;
    INSERT INTO figures_daily (kind, day, n)
    SELECT kind, event_date, CASE WHEN NEW.merged_into IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM case_events
    WHERE case_id = NEW.id AND (OLD.merged_into IS NULL) <> (NEW.merged_into IS NULL)
    GROUP BY kind, event_date
    ON CONFLICT (kind, day) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER figures_event_insert AFTER INSERT ON case_events
WHEN (SELECT merged_into FROM cases WHERE id = NEW.case_id) IS NULL
BEGIN
    INSERT INTO figures_daily (kind, day, n) VALUES (NEW.kind, NEW.event_date, 1)
    ON CONFLICT (kind, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER figures_event_delete AFTER DELETE ON case_events
WHEN (SELECT merged_into FROM cases WHERE id = OLD.case_id) IS NULL
BEGIN
    UPDATE figures_daily SET n = n - 1 WHERE kind = OLD.kind AND day = OLD.event_date;
END;

CREATE TRIGGER figures_event_update AFTER UPDATE OF case_id, kind, event_date ON case_events
BEGIN
    UPDATE figures_daily SET n = n - 1
    WHERE kind = OLD.kind AND day = OLD.event_date
      AND (SELECT merged_into FROM cases WHERE id = OLD.case_id) IS NULL;
    INSERT INTO figures_daily (kind, day, n)
    SELECT NEW.kind, NEW.event_date, 1
    WHERE (SELECT merged_into FROM cases WHERE id = NEW.case_id) IS NULL
    ON CONFLICT (kind, day) DO UPDATE SET n = n + 1;
END;

-- "Verified up to" of each state: the newest last_verified_at, read from the end of
-- an index range.
CREATE INDEX cases_figures_verified ON cases (state, last_verified_at, merged_into)
    WHERE merged_into IS NULL;

-- The cache of /cifras is keyed by this number together with the largest id of cases,
-- case_events and announcements: new rows raise an id, and these triggers count every
-- change and deletion. Reports awaiting verification are counted live, so a surge of
-- new reports never empties the cache.
CREATE TABLE figures_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO figures_version (id, n) VALUES (1, 0);

CREATE TRIGGER figures_version_cases_update AFTER UPDATE ON cases
BEGIN
    UPDATE figures_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER figures_version_cases_delete AFTER DELETE ON cases
BEGIN
    UPDATE figures_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER figures_version_events_update AFTER UPDATE ON case_events
BEGIN
    UPDATE figures_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER figures_version_events_delete AFTER DELETE ON case_events
BEGIN
    UPDATE figures_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER figures_version_announcements_update AFTER UPDATE ON announcements
BEGIN
    UPDATE figures_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER figures_version_announcements_delete AFTER DELETE ON announcements
BEGIN
    UPDATE figures_version SET n = n + 1 WHERE id = 1;
END;
