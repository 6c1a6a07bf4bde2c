-- Vigía initial schema.
-- Conventions: columns ending in _enc hold AES-GCM sealed text (storage/crypto.py);
-- columns ending in _hash or _key hold keyed HMACs for equality lookups. Times are
-- ISO-8601 UTC text ('2026-01-31T18:04:05Z'); dates are ISO text ('2026-01-31').

-- One row per Telegram user who chose a language. user_key = HMAC of the user id.
CREATE TABLE user_prefs (
    user_key TEXT PRIMARY KEY,
    language TEXT CHECK (language IN ('es', 'en')),
    updated_at TEXT NOT NULL
);

-- Roles granted inside the bot (bootstrap admins come from ADMIN_IDS).
CREATE TABLE roles (
    user_key TEXT PRIMARY KEY,
    user_id_enc TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('moderator', 'broadcaster', 'admin')),
    granted_by_key TEXT,
    granted_at TEXT NOT NULL
);

-- Cases: one person deprived of liberty, verified by the NGO.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN
        ('detained', 'disappeared', 'house_arrest', 'released', 'deceased', 'closed')),
    person_name_enc TEXT NOT NULL,
    cedula_enc TEXT,
    cedula_hash TEXT,
    sex TEXT CHECK (sex IN ('female', 'male', 'other')),
    age INTEGER,
    is_minor INTEGER NOT NULL DEFAULT 0,
    affiliation TEXT CHECK (affiliation IN
        ('civilian', 'military_active', 'military_retired')),
    detained_on TEXT,
    federal_entity TEXT,
    municipality_enc TEXT,
    detaining_body TEXT,
    place TEXT,
    place_other_enc TEXT,
    released_on TEXT,
    release_conditions TEXT,
    publish_consent INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER REFERENCES cases (id),
    version INTEGER NOT NULL DEFAULT 0,
    verified_at TEXT,
    last_verified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_cedula_hash ON cases (cedula_hash);
CREATE INDEX cases_detained_on ON cases (detained_on);

-- Dated events on a case: verification, release, re-arrest, transfer, house arrest,
-- death in custody, closing. Re-arrests are their own rows so figures can count them.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    event_date TEXT NOT NULL,
    state_before TEXT,
    state_after TEXT,
    details_enc TEXT,
    actor_key TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id);
CREATE INDEX case_events_kind_date ON case_events (kind, event_date);

-- Reports (tips): one submission by one reporter.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    receipt_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('detention', 'release', 'update')),
    state TEXT NOT NULL DEFAULT 'received' CHECK (state IN
        ('received', 'in_review', 'needs_info', 'verified', 'rejected', 'duplicate')),
    reporter_key TEXT,
    reporter_chat_enc TEXT,
    reporter_language TEXT NOT NULL DEFAULT 'es',
    contact_consent_at TEXT,
    publish_consent_at TEXT,
    case_id INTEGER REFERENCES cases (id),
    parent_report_id INTEGER REFERENCES reports (id),
    priority INTEGER NOT NULL DEFAULT 0,
    person_name_enc TEXT,
    cedula_enc TEXT,
    cedula_hash TEXT,
    sex TEXT,
    age INTEGER,
    is_minor INTEGER NOT NULL DEFAULT 0,
    affiliation TEXT,
    detained_on TEXT,
    federal_entity TEXT,
    municipality_enc TEXT,
    detaining_body TEXT,
    whereabouts TEXT,
    whereabouts_other_enc TEXT,
    circumstances_enc TEXT,
    relationship_enc TEXT,
    details_enc TEXT,
    reject_reason TEXT,
    reject_note_enc TEXT,
    assigned_to_key TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX reports_state ON reports (state, priority, created_at);
CREATE INDEX reports_reporter ON reports (reporter_key);
CREATE INDEX reports_cedula_hash ON reports (cedula_hash);
CREATE INDEX reports_case ON reports (case_id);

-- Evidence: Telegram file ids only, nothing is downloaded.
CREATE TABLE report_evidence (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    file_id_enc TEXT NOT NULL,
    media_type TEXT NOT NULL,
    file_size INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX report_evidence_report ON report_evidence (report_id);

-- Subscribers to verified release updates.
CREATE TABLE subscribers (
    chat_key TEXT PRIMARY KEY,
    chat_id_enc TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'es',
    subscribed_at TEXT NOT NULL
);

-- Append-only, hash-chained audit trail of every moderation action.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_key TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id INTEGER,
    state_before TEXT,
    state_after TEXT,
    details TEXT,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL
);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- Broadcasts composed by the NGO, and the durable outbox that delivers them and
-- every notification to a reporter: one row per recipient and message.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    created_by_key TEXT,
    text_es TEXT NOT NULL,
    text_en TEXT,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
        ('draft', 'sending', 'done', 'cancelled')),
    to_channel INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('broadcast', 'notification')),
    broadcast_id INTEGER REFERENCES broadcasts (id),
    chat_key TEXT NOT NULL,
    chat_id_enc TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'es',
    payload_enc TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
        ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at TEXT,
    error TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX outbox_broadcast_recipient ON outbox (broadcast_id, chat_key)
    WHERE broadcast_id IS NOT NULL;
CREATE INDEX outbox_pending ON outbox (state, next_attempt_at, id);
