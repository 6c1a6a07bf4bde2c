-- Lanes of the outbox (issue 15): what goes first when Telegram's budget is short.
-- 0: a family's own notifications; 1: staff (new-report notices, digests, relayed
-- answers); 2: broadcasts. The worker reads due rows lane by lane.
ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
-- A new-report notice is stored as the report it announces, not as text: the text is
-- written when it is sent, so notices waiting for a group's budget can become one.
ALTER TABLE outbox ADD COLUMN report_id INTEGER;
ALTER TABLE outbox ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;

UPDATE outbox SET lane = 2 WHERE kind = 'broadcast';

CREATE INDEX outbox_lane_due ON outbox (state, lane, id);
CREATE INDEX outbox_staff_key ON outbox (chat_key, state) WHERE lane = 1;
