import "server-only";
import { rules } from "@/lib/rules";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { log } from "@/server/logger";

// Per-client budgets in PostgreSQL, so every instance of the app counts
// against the same numbers. A check is ONE statement: an upsert on the
// (budget, client, window) counter that only increments while under the
// limit, so N simultaneous requests from one client let exactly `limit`
// through, on any number of instances. A refused request does not count.
//
// Fixed windows: a client can spend a full budget at the end of one window
// and another at the start of the next (twice the limit in a short time).
// Accepted for its simplicity and exact Retry-After; the limits in
// lib/rules.ts are set with that in mind.

export type ClientBudgetName = keyof typeof rules.clientBudgets;

export type BudgetReservation = {
  /** Gives the unit back (a sign-in that turned out right does not count as a failure). */
  refund(): Promise<void>;
};

/** The limit after CLIENT_BUDGET_SCALE; never below 1. */
export function scaledLimit(budget: ClientBudgetName, scale: number = env.CLIENT_BUDGET_SCALE): number {
  return Math.max(1, Math.floor(rules.clientBudgets[budget].limit * scale));
}

/**
 * Takes one unit of `budget` for `client` (server/http/client-ip.ts
 * budgetKey), or throws RATE_LIMITED with the time until the window ends.
 */
export async function takeClientBudget(options: { budget: ClientBudgetName; client: string; scale?: number }): Promise<BudgetReservation> {
  const { budget, client } = options;
  const limit = scaledLimit(budget, options.scale);
  const windowSeconds = rules.clientBudgets[budget].windowMs / 1000;
  // Windows and "now" come from the database clock, the one clock every instance shares.
  const [row] = await db.$queryRaw<{ used: number | null; window_start: Date; retry_ms: number }[]>`
    WITH w AS (
      SELECT date_bin(make_interval(secs => ${windowSeconds}::float8), now() AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01') AS start,
             now() AT TIME ZONE 'UTC' AS now
    ), taken AS (
      INSERT INTO client_budgets (budget, client, window_start, used)
      SELECT ${budget}, ${client}, w.start, 1 FROM w
      ON CONFLICT (budget, client, window_start) DO UPDATE SET used = client_budgets.used + 1
        WHERE client_budgets.used < ${limit}::int
      RETURNING used
    )
    SELECT (SELECT used FROM taken) AS used, w.start AS window_start,
           (extract(epoch FROM (w.start + make_interval(secs => ${windowSeconds}::float8) - w.now)) * 1000)::float8 AS retry_ms
    FROM w`;
  pruneSoon();
  if (!row || row.used === null) {
    const retryAfterMs = Math.max(1, Math.ceil(row?.retry_ms ?? rules.clientBudgets[budget].windowMs));
    throw new AppError("RATE_LIMITED", `Too many attempts from your network. Try again in ${minutesText(retryAfterMs)}.`, {
      retryAfter: retryAfterMs / 1000,
      extra: { retryAfterMs, retryAt: new Date(Date.now() + retryAfterMs).toISOString() },
    });
  }
  const windowStart = row.window_start;
  let refunded = false;
  return {
    async refund() {
      if (refunded) return;
      refunded = true;
      await db.$executeRaw`
        UPDATE client_budgets SET used = used - 1
        WHERE budget = ${budget} AND client = ${client} AND window_start = ${windowStart} AND used > 0`;
    },
  };
}

const minutesText = (ms: number) => {
  const minutes = Math.ceil(ms / 60_000);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
};

// Rows of ended windows are useless; each instance deletes them at most once
// a minute, in the background, through the window_start index.
const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;
function pruneSoon(): void {
  const now = Date.now();
  if (now - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now;
  pruneClientBudgets().catch((error: unknown) => log.warn("pruning client budgets failed", { error }));
}

/** Deletes the counters of windows that have ended; returns how many. */
export async function pruneClientBudgets(): Promise<number> {
  const longest = Math.max(...Object.values(rules.clientBudgets).map((budget) => budget.windowMs)) / 1000;
  return db.$executeRaw`
    DELETE FROM client_budgets WHERE window_start < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${longest}::float8)`;
}
