-- Lockout that cannot be used as a weapon (issue 10, items 1 and 2).
--
-- failed_password_count / locked_until (existing) now count only clients
-- without a valid device cookie. Browsers that signed in to the account
-- before count separately, so strangers guessing cannot lock the owner out.
-- An account-wide ceiling over all clients stops distributed guessing, device
-- holders included: failures_in_window counts failures in the hour that
-- started at failure_window_started_at; reaching the ceiling sets
-- account_locked_until.

ALTER TABLE "users"
    ADD COLUMN "device_failed_password_count" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "device_locked_until" TIMESTAMP(3),
    ADD COLUMN "failures_in_window" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "failure_window_started_at" TIMESTAMP(3),
    ADD COLUMN "account_locked_until" TIMESTAMP(3);
