-- Scheduled payments (docs/product/payments.md). The database is the source
-- of truth: the workflow run of an occurrence re-reads its schedule under a
-- row lock before it does anything, and the ledger entry's idempotency key
-- (schedule id + occurrence number) makes a second execution a no-op.

CREATE TYPE "schedule_repeat" AS ENUM ('none', 'daily', 'weekly', 'monthly');
CREATE TYPE "schedule_status" AS ENUM ('active', 'paused', 'completed', 'cancelled');
CREATE TYPE "occurrence_status" AS ENUM ('scheduled', 'succeeded', 'retrying', 'failed', 'skipped', 'missed');

CREATE TABLE "scheduled_payments" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    -- The recipient as entered (canonical E.164) and the account it named
    -- then; null once that account is deleted (the next occurrence fails).
    "to_phone" TEXT NOT NULL,
    "recipient_id" UUID,
    "amount" INTEGER NOT NULL,
    "note" TEXT,
    "repeat" "schedule_repeat" NOT NULL,
    -- Occurrence k falls at recurrence(anchor_at, repeat, k - anchor_number):
    -- a reschedule moves the anchor to the occurrence it reschedules.
    "anchor_at" TIMESTAMP(3) NOT NULL,
    "anchor_number" INTEGER NOT NULL DEFAULT 1,
    -- The end: after this many occurrences, or none due after this instant
    -- (the end of the chosen Nepal day); neither means never.
    "ends_after" INTEGER,
    "ends_on" TIMESTAMP(3),
    "status" "schedule_status" NOT NULL DEFAULT 'active',
    -- The occurrence to run next and when; null once nothing more runs.
    "next_number" INTEGER NOT NULL DEFAULT 1,
    "next_run_at" TIMESTAMP(3),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "remind" BOOLEAN NOT NULL DEFAULT true,
    -- Bumped by every change a person makes: a workflow run started for an
    -- older version is stale and does nothing.
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "scheduled_payments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "scheduled_payments_amount_positive" CHECK ("amount" > 0),
    CONSTRAINT "scheduled_payments_note_length" CHECK ("note" IS NULL OR char_length("note") <= 100),
    CONSTRAINT "scheduled_payments_ends_after_positive" CHECK ("ends_after" IS NULL OR "ends_after" > 0),
    CONSTRAINT "scheduled_payments_next_run" CHECK (("status" IN ('active', 'paused')) = ("next_run_at" IS NOT NULL))
);

CREATE INDEX "scheduled_payments_user_id_status_idx" ON "scheduled_payments"("user_id", "status");
-- The reconciliation cron's question: active schedules due before a time.
CREATE INDEX "scheduled_payments_status_next_run_at_idx" ON "scheduled_payments"("status", "next_run_at");
ALTER TABLE "scheduled_payments" ADD CONSTRAINT "scheduled_payments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "scheduled_payments" ADD CONSTRAINT "scheduled_payments_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "payment_occurrences" (
    "schedule_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "due_at" TIMESTAMP(3) NOT NULL,
    "status" "occurrence_status" NOT NULL DEFAULT 'scheduled',
    -- Executions tried (insufficient funds is retried after 1 h and 6 h).
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3),
    "failure_reason" TEXT,
    "entry_id" UUID,
    "executed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "payment_occurrences_pkey" PRIMARY KEY ("schedule_id", "number"),
    CONSTRAINT "payment_occurrences_succeeded_has_entry" CHECK (("status" = 'succeeded') = ("entry_id" IS NOT NULL))
);

CREATE UNIQUE INDEX "payment_occurrences_entry_id_key" ON "payment_occurrences"("entry_id");
ALTER TABLE "payment_occurrences" ADD CONSTRAINT "payment_occurrences_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "scheduled_payments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_occurrences" ADD CONSTRAINT "payment_occurrences_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "ledger_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
