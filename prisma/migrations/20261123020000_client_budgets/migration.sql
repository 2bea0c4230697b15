-- Per-client budgets (lib/rules.ts clientBudgets): one counter per budget,
-- client (IPv4 address or IPv6 /64) and fixed time window. A check is one
-- INSERT … ON CONFLICT DO UPDATE … WHERE used < limit, so concurrent requests
-- on every instance are counted exactly. Rows of ended windows are deleted
-- by server/budgets/take-client-budget.ts (the window_start index keeps that cheap).

CREATE TABLE "client_budgets" (
    "budget" TEXT NOT NULL,
    "client" TEXT NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "client_budgets_pkey" PRIMARY KEY ("budget", "client", "window_start")
);

CREATE INDEX "client_budgets_window_start_idx" ON "client_budgets"("window_start");
