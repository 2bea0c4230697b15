-- Pending addresses live on their request; users.email holds verified
-- addresses only (ADR 0012, superseding 0003). An unverified address no longer
-- occupies the unique index, so nobody can squat an address they do not own.

-- Every unverified address was put on the account by an add request (signup
-- or "add email"), whose new_email still carries it: a pending one keeps
-- verifying it from there, and one that ended unconfirmed lets it go, which is
-- the product rule "unverified claims expire". Nothing else refers to it.
UPDATE "users" SET "email" = NULL WHERE "email" IS NOT NULL AND "email_verified_at" IS NULL;

-- The invariant, enforced by the database itself (Prisma's schema cannot say it).
ALTER TABLE "users" ADD CONSTRAINT "users_email_verified_check" CHECK ("email" IS NULL OR "email_verified_at" IS NOT NULL);

-- Verification emails per recipient (rules.maxVerificationEmailsPerRecipientPerDay) are counted here.
CREATE INDEX "email_links_sent_to_created_at_idx" ON "email_links"("sent_to", "created_at");
