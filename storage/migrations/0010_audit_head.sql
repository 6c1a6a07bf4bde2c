-- Moderation desk (issue 5): the head of the audit trail, and staff languages.

-- The hash chain shows an edited or removed row only when a later row still points
-- back at it: deleting the LAST rows leaves a shorter chain that checks out. So the
-- head is kept apart, by a trigger in the same statement as every append: how many
-- events were ever appended, and the id and hash of the last one. /audit compares
-- the rows it walked with it. The head only ever moves one event forward (another
-- trigger refuses anything else) and cannot be deleted; an attacker who drops the
-- audit triggers to cut the tail must also know to rewind the head consistently.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    event_count INTEGER NOT NULL,
    last_id INTEGER,
    last_digest TEXT
);
INSERT INTO audit_head (id, event_count, last_id, last_digest)
SELECT 1, COUNT(*), MAX(id),
       (SELECT row_hash FROM audit_events ORDER BY id DESC LIMIT 1)
FROM audit_events;

CREATE TRIGGER audit_events_advance_head AFTER INSERT ON audit_events
BEGIN
    UPDATE audit_head
    SET event_count = event_count + 1, last_id = NEW.id, last_digest = NEW.row_hash
    WHERE id = 1;
END;
CREATE TRIGGER audit_head_only_advances BEFORE UPDATE ON audit_head
WHEN NEW.id IS NOT OLD.id
  OR NEW.event_count IS NOT OLD.event_count + 1
  OR NEW.last_id IS NOT (SELECT MAX(id) FROM audit_events)
  OR NEW.last_digest IS NOT (SELECT row_hash FROM audit_events WHERE id = NEW.last_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_head only follows the audit trail');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head only follows the audit trail');
END;
CREATE TRIGGER audit_head_single BEFORE INSERT ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head only follows the audit trail');
END;

-- The Telegram language of each staff member, seen on their last desk action, so
-- the morning digest (sent with no update to read it from) speaks it when they
-- never chose one with /language. actor_key = HMAC of the user id, purpose 'actor'.
CREATE TABLE staff_languages (
    actor_key TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
