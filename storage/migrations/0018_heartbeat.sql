-- The running bot's heartbeat (issue 19): one row, rewritten by a job every 30 seconds,
-- that `python -m bot health` reads (read-only) to tell a live bot from a stopped one.
-- beat_at: UTC, as storage/clock.py writes it.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    beat_at TEXT NOT NULL
);
