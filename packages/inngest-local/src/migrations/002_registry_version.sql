-- Bumped by every sync, so engines can cache "which functions does this event
-- name trigger" and notice a change in the same query that inserts an event.
CREATE TABLE registry_version (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO registry_version (id, version) VALUES (true, 0);
