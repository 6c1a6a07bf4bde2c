-- Moderation desk (issue 5): verification votes for the two-person rule, questions
-- a moderator is typing in answer to a button, and lookups the desk runs often.

-- One row per moderator who verified a report; the report becomes `verified` when
-- VERIFY_QUORUM different voters agree on the same target (a new case when
-- case_id is NULL, else that existing case). voter_key = HMAC of the moderator id
-- (purpose 'actor', as in audit_events).
CREATE TABLE verify_votes (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    case_id INTEGER REFERENCES cases (id),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (report_id, voter_key)
);

-- "Needs info" pressed on a notice: the bot asks the moderator for the question with
-- a ForceReply message; the reply to that message (and only that one) is the
-- question for this report. chat_key = HMAC of the chat id (purpose 'prompt').
CREATE TABLE moderation_prompts (
    chat_key TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    report_version INTEGER NOT NULL,
    actor_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_key, message_id)
);

CREATE INDEX audit_events_target ON audit_events (target_type, target_id);
CREATE INDEX cases_merged_into ON cases (merged_into);
CREATE INDEX reports_waiting ON reports (state, created_at);
