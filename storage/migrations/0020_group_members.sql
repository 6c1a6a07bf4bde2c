-- People the bot has seen in the moderation group who hold no role (issue 14): their
-- join is told to the admins, and /mods lists them until they leave or get a role.
-- The id and the display name are personal: sealed, found again by a keyed hash.
CREATE TABLE group_members (
    user_key TEXT PRIMARY KEY,
    user_id_enc TEXT NOT NULL,
    name_enc TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
