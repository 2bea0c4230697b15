-- Initial schema of the local engine. Runs with search_path set to the
-- engine's own schema; nothing here touches the app's tables.

CREATE TABLE clock (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  offset_ms bigint NOT NULL DEFAULT 0
);
INSERT INTO clock (id, offset_ms) VALUES (true, 0);

CREATE TABLE apps (
  id        text PRIMARY KEY,
  url       text NOT NULL,
  sdk       text,
  framework text,
  synced_at timestamptz NOT NULL
);

CREATE TABLE functions (
  id         text PRIMARY KEY,          -- composite id "<app>-<fn>"
  app_id     text NOT NULL,
  slug       text NOT NULL,             -- id without the app prefix
  name       text NOT NULL,
  url        text NOT NULL,             -- runtime URL with ?fnId=...&stepId=step
  config     jsonb NOT NULL,
  deleted    boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL
);
CREATE INDEX functions_slug ON functions (slug);

CREATE TABLE triggers (
  function_id text NOT NULL REFERENCES functions (id) ON DELETE CASCADE,
  position    int  NOT NULL,
  event_name  text NOT NULL,
  expression  text,
  PRIMARY KEY (function_id, position)
);
CREATE INDEX triggers_event ON triggers (event_name);

CREATE TABLE events (
  id           text PRIMARY KEY,        -- internal ULID, returned by the event API
  event_id     text NOT NULL,           -- payload id (user supplied or = id)
  name         text NOT NULL,
  payload      json NOT NULL,
  received_at  timestamptz NOT NULL,
  deduplicated boolean NOT NULL DEFAULT false,
  internal     boolean NOT NULL DEFAULT false
);
CREATE INDEX events_received ON events (received_at DESC, id DESC);
CREATE INDEX events_name_received ON events (name, received_at DESC);
CREATE INDEX events_event_id ON events (event_id);

-- Deduplication window for user supplied event ids.
CREATE TABLE event_ids (
  event_id    text PRIMARY KEY,
  received_at timestamptz NOT NULL
);

CREATE TABLE runs (
  id                 text PRIMARY KEY,  -- ULID
  function_id        text NOT NULL,
  status             text NOT NULL,     -- running | completed | failed | cancelled
  event_internal_id  text,
  event_name         text NOT NULL,
  event              json NOT NULL,     -- the triggering event as sent to the SDK
  request_version    int  NOT NULL DEFAULT -1,
  force_step_plan    boolean NOT NULL DEFAULT false,
  pending            text[] NOT NULL DEFAULT '{}',
  stack_size         int  NOT NULL DEFAULT 0,
  correlation_id     text,              -- set when started by step.invoke
  concurrency_keys   text[] NOT NULL DEFAULT '{}',
  concurrency_limits int[]  NOT NULL DEFAULT '{}',
  output             json,
  error              json,
  started_at         timestamptz NOT NULL,
  ended_at           timestamptz
);
CREATE INDEX runs_started ON runs (started_at DESC, id DESC);
CREATE INDEX runs_function ON runs (function_id, started_at DESC);
CREATE INDEX runs_event ON runs (event_internal_id);
CREATE INDEX runs_event_name ON runs (event_name, started_at DESC);
CREATE INDEX runs_status ON runs (status, started_at DESC);

-- Memoized step results, in completion order (position = ctx.stack index).
CREATE TABLE run_steps (
  run_id     text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step_id    text NOT NULL,             -- hashed id sent by the SDK
  position   int  NOT NULL,
  op         text NOT NULL,
  name       text,
  kind       text,                      -- opts.type, e.g. step.sendEvent
  input      json,
  result     json NOT NULL,             -- {"data": ...} | {"error": ...}
  attempt    int  NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, step_id)
);

-- Human readable history of a run (what happened when), for the UI and API.
CREATE TABLE run_history (
  id          bigserial PRIMARY KEY,
  run_id      text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  kind        text NOT NULL,
  step_id     text,
  step_name   text,
  attempt     int,
  duration_ms int,
  worker      text,
  detail      json
);
CREATE INDEX run_history_run ON run_history (run_id, id);

-- Everything that has to happen later: calls to the app, timers, crons.
CREATE TABLE jobs (
  id                 bigserial PRIMARY KEY,
  run_id             text,
  function_id        text,
  kind               text NOT NULL,     -- call | sleep | wait_timeout | invoke_timeout | cron
  step_id            text,              -- 'step' for discovery, hashed id otherwise
  attempt            int  NOT NULL DEFAULT 0,
  run_at             timestamptz NOT NULL,  -- engine time
  locked_until       timestamptz,           -- real (database) time
  locked_by          text,
  executing          boolean NOT NULL DEFAULT false,
  dedupe_key         text UNIQUE,
  payload            json NOT NULL DEFAULT '{}',
  concurrency_keys   text[] NOT NULL DEFAULT '{}',
  concurrency_limits int[]  NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_run_at ON jobs (run_at, id);
CREATE INDEX jobs_run ON jobs (run_id);
CREATE INDEX jobs_executing ON jobs USING gin (concurrency_keys) WHERE executing;

-- Runs waiting for an event: waitForEvent, step.invoke and cancelOn.
-- match_path/match_value hold the pre-computed key of an equality in the
-- expression (async.<match_path> == <value>), so an incoming event finds its
-- pauses by index instead of evaluating every waiting expression.
CREATE TABLE pauses (
  id          text PRIMARY KEY,
  run_id      text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  kind        text NOT NULL,            -- wait | invoke | cancel
  step_id     text,
  step_name   text,
  event_name  text NOT NULL,
  expression  text,
  match_path  text,
  match_value text,
  race        boolean NOT NULL DEFAULT false,
  expires_at  timestamptz NOT NULL,     -- engine time
  created_at  timestamptz NOT NULL
);
CREATE INDEX pauses_lookup ON pauses (event_name, match_path, match_value);
CREATE INDEX pauses_run ON pauses (run_id);

-- Distinct match paths per event name (small; lets ingest compute the keys
-- of an incoming event without scanning pauses).
CREATE TABLE pause_paths (
  event_name text NOT NULL,
  match_path text NOT NULL,
  PRIMARY KEY (event_name, match_path)
);

-- Function idempotency keys (and future per-key limits).
CREATE TABLE fn_keys (
  function_id text NOT NULL,
  kind        text NOT NULL,
  key         text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (function_id, kind, key)
);
