-- /import waits for the admin's Confirm here, so a restart between the dry run and
-- Confirm loses nothing and a second press of Confirm finds nothing left to apply.
-- Only the file's Telegram id is kept (sealed), never its contents; the token is the
-- random key the Confirm and Cancel buttons carry.
CREATE TABLE pending_imports (
    token TEXT PRIMARY KEY,
    admin_id_enc TEXT NOT NULL,
    file_id_enc TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pending_imports_created_at ON pending_imports (created_at);
