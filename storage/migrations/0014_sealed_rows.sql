-- Sealed values bound to their row (issue 16): version-2 values carry the row's primary
-- key in their associated data and no key id. Values written before are version 1;
-- the first start after this migration rewrites them all (storage/seal_upgrade.py)
-- and notes here when it finished. From then on version-1 values are refused, so an
-- old value copied into another row from an earlier copy of the file does not open.
CREATE TABLE seal_format (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rows_bound_at TEXT
);
INSERT INTO seal_format (id, rows_bound_at) VALUES (1, NULL);
