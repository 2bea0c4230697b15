-- Server-side sessions, pseudonymised audit rows, and an audit log the app
-- cannot rewrite (issue 10, items 7, 9, 11; ADR 0013).

-- One row per signed-in browser. The JWT carries the row's id; every request
-- checks the row (not ended, within the absolute lifetime and the idle
-- timeout), so signing out, "sign out everywhere" and a password change end
-- sessions on the server, not only in a cookie.
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "user_agent" TEXT,
    "ip" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMP(3),
    "end_reason" TEXT,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "sessions_user_id_ended_at_idx" ON "sessions"("user_id", "ended_at");

ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A deleted account's audit rows keep who-did-what only as a keyed hash
-- (HMAC-SHA256 of the user id), never the id itself.
ALTER TABLE "audit_events" ADD COLUMN "subject" TEXT;

-- The retention job deletes by age.
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");

-- Deleting a user no longer rewrites its audit rows behind the log's back
-- (SET NULL was an UPDATE): the account deletion pseudonymises them first,
-- through audit_pseudonymise below, and a user with rows left is refused.
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_user_id_fkey";
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only. Every UPDATE, DELETE or TRUNCATE of audit_events is refused
-- unless it runs as the role audit_keeper, which cannot log in: the only way
-- to be audit_keeper is to call one of the two SECURITY DEFINER functions it
-- owns, and each does one narrow thing (pseudonymise one user's rows; delete
-- rows older than 13 months, the age fixed here, not passed in). The app's
-- own role, whatever it is (postgres in development), gets the refusal.
-- A superuser can still drop the trigger: production runs the app as a
-- role that is neither superuser nor table owner (ADR 0013).
DO $$
BEGIN
    CREATE ROLE audit_keeper NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    -- Roles are cluster-wide: another database on this server created it.
    NULL;
END
$$;

GRANT SELECT, UPDATE, DELETE ON "audit_events" TO audit_keeper;

CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_user <> 'audit_keeper' THEN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Account deletion: the user's rows lose the user id, the IP, the user agent
-- and any (masked) address in their details, and get the pseudonym instead.
-- What happened and when stays.
CREATE FUNCTION audit_pseudonymise(p_user_id UUID, p_subject TEXT) RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    changed INTEGER;
BEGIN
    IF p_subject IS NULL OR length(p_subject) < 32 THEN
        RAISE EXCEPTION 'audit_pseudonymise needs a keyed hash as the subject';
    END IF;
    UPDATE "audit_events"
       SET "user_id" = NULL, "subject" = p_subject, "ip" = NULL, "user_agent" = NULL,
           "details" = "details" - 'newEmail' - 'oldEmail' - 'email' - 'sentTo'
     WHERE "user_id" = p_user_id;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

-- Retention: 13 months (lib/rules.ts auditRetentionMonths says the same; the
-- age lives here so that a caller cannot ask for more to be deleted).
CREATE FUNCTION audit_purge_expired() RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM "audit_events" WHERE "created_at" < CURRENT_TIMESTAMP - interval '13 months';
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

ALTER FUNCTION audit_pseudonymise(UUID, TEXT) OWNER TO audit_keeper;
ALTER FUNCTION audit_purge_expired() OWNER TO audit_keeper;
REVOKE ALL ON FUNCTION audit_pseudonymise(UUID, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_purge_expired() FROM PUBLIC;
