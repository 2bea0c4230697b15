-- Email add/change requests and their one-time links.

CREATE TYPE "email_request_kind" AS ENUM ('add', 'change');

CREATE TYPE "email_request_status" AS ENUM ('pending', 'completed', 'expired', 'cancelled', 'superseded', 'failed');

CREATE TYPE "email_hop" AS ENUM ('old', 'new');

CREATE TABLE "email_requests" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" "email_request_kind" NOT NULL,
    "status" "email_request_status" NOT NULL DEFAULT 'pending',
    "current_hop" "email_hop",
    "old_email" TEXT,
    "new_email" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "hop_expires_at" TIMESTAMP(3),
    "last_sent_at" TIMESTAMP(3),
    "old_confirmed_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "email_requests_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "email_links" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "hop" "email_hop" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "sent_to" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "voided_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_links_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "email_requests_user_id_status_idx" ON "email_requests"("user_id", "status");

CREATE UNIQUE INDEX "email_links_token_hash_key" ON "email_links"("token_hash");

CREATE INDEX "email_links_request_id_created_at_idx" ON "email_links"("request_id", "created_at");

ALTER TABLE "email_requests" ADD CONSTRAINT "email_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "email_links" ADD CONSTRAINT "email_links_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "email_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
