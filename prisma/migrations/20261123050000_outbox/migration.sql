-- The transactional outbox (issue 11, item 3; ADR 0016). A server function
-- writes the events it publishes here, in the same transaction as the fact
-- they describe, so an event exists exactly when its fact does. A relay
-- sends the rows to Inngest and marks them published; a cron re-drives
-- anything overdue.
CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    -- The order events were written in (created_at ties within a millisecond).
    "seq" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    -- The id Inngest sees: the same on every attempt, so a row sent twice
    -- (a relay that crashed after the send, before marking it) is
    -- deduplicated by Inngest instead of starting a second run.
    "event_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    -- Also the relay's lease: a claimed row is pushed into the future while
    -- it is being sent, so no other relay picks it up meanwhile.
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "outbox_events_event_id_key" ON "outbox_events"("event_id");

-- Delivery truth (issue 11, item 6): when the last attempt to email the
-- current link was refused by the SMTP server; cleared once one is accepted.
-- The profile says "we could not send" instead of "we sent".
ALTER TABLE "email_requests" ADD COLUMN "send_failed_at" TIMESTAMP(3);

-- The relay's and the health check's question: what is unpublished, oldest first.
CREATE INDEX "outbox_events_published_at_next_attempt_at_idx" ON "outbox_events"("published_at", "next_attempt_at");
