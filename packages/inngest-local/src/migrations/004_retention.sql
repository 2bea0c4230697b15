-- Retention finds ended runs by their end, oldest first, without scanning the
-- running ones (the partial index holds only what may be purged).
CREATE INDEX runs_ended ON runs (ended_at) WHERE status <> 'running';
-- Events are purged oldest first; so are expired dedupe and idempotency keys.
CREATE INDEX event_ids_received ON event_ids (received_at);
CREATE INDEX fn_keys_expires ON fn_keys (expires_at);
