import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EmailTemplateName } from "@/emails/render";
import { confirmOutcome, emailRequestKind } from "@/lib/api";
import type { ErrorCode } from "@/lib/errors";
import { now } from "@/server/clock";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { isOperator } from "@/server/health";
import { log } from "@/server/logger";

// Prometheus metrics (docs/metrics.md lists them for dashboards and alerts).
// Labels are low-cardinality by construction: route templates, template and
// kind names, outcomes and error codes; never an id, a phone or an address.
//
// One registry per process, kept on globalThis in every environment: Next
// can evaluate this module more than once in one process (route handlers,
// server actions and instrumentation are separate bundles), and a second
// registry would count half the events and register the default process
// metrics twice.

/** Each scrape-time gauge runs one query, killed by PostgreSQL past this. */
const COLLECT_TIMEOUT_MS = 2000;
/** An active schedule whose next run is this far past due counts as overdue. */
export const PAYMENT_OVERDUE_MS = 10 * 60_000;

/** Runs one read-only statement: the registry with its own timeout, tests inside a transaction they roll back. */
export type Read = <T>(sql: string, ...values: unknown[]) => Promise<T[]>;

/** What each scrape-time gauge reads: one statement each. */
export const gaugeReaders = {
  async ledgerPostingsSum(read: Read): Promise<number> {
    const [row] = await read<{ sum: number }>(`SELECT COALESCE(SUM(amount), 0)::float8 AS sum FROM ledger_postings`);
    return row?.sum ?? 0;
  },
  async ledgerViolations(read: Read): Promise<number> {
    const [row] = await read<{ count: bigint }>(`SELECT count(*) AS count FROM ledger_violations()`);
    return Number(row?.count ?? 0);
  },
  async outboxUnpublished(read: Read): Promise<number> {
    const [row] = await read<{ count: bigint }>(`SELECT count(*) AS count FROM outbox_events WHERE published_at IS NULL`);
    return Number(row?.count ?? 0);
  },
  async outboxOldestAgeSeconds(read: Read): Promise<number> {
    const [row] = await read<{ age: number | null }>(
      `SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM outbox_events WHERE published_at IS NULL`,
    );
    return Math.max(0, row?.age ?? 0);
  },
  /** `now`: the app's clock (server/clock.ts), which the e2e stack moves with the engine's. */
  async paymentsOverdue(read: Read, now: Date): Promise<number> {
    const [row] = await read<{ count: bigint }>(
      `SELECT count(*) AS count FROM scheduled_payments
        WHERE status = 'active' AND next_run_at < $1 AND (ends_on IS NULL OR next_run_at < ends_on)`,
      new Date(now.getTime() - PAYMENT_OVERDUE_MS),
    );
    return Number(row?.count ?? 0);
  },
};

/**
 * Every value the domain counters' labels can take, exposed at 0 from the
 * start: Prometheus sees no increase in a series' first sample, so a series
 * born at its first event would hide that event from rate() and increase()
 * (the first lockout after a restart would never reach LockoutSpike).
 * Route labels are left out: routes × methods × statuses is too many series.
 */
export const KNOWN_LABELS = {
  // Not emailTemplateNames: that would load every React Email template into each route
  // that counts a request. `satisfies` and a test keep the two lists the same.
  templates: [
    "verify-email",
    "confirm-change-old",
    "confirm-change-new",
    "email-changed",
    "email-linked",
    "password-changed",
    "account-locked",
    "payment-reminder",
    "payment-receipt",
    "payment-received",
    "payment-failed",
    "payment-paused",
  ] as const satisfies readonly EmailTemplateName[],
  emailRequestKinds: emailRequestKind.options,
  emailRequestEvents: ["started", "superseded", "cancelled", "expired", "confirmed", "failed"] as const,
  linkOutcomes: [
    ...confirmOutcome.options.map((option) => option.shape.outcome.value),
    ...([
      "LINK_INVALID",
      "LINK_EXPIRED",
      "LINK_USED",
      "LINK_SUPERSEDED",
      "LINK_CANCELLED",
      "OWNER_SESSION_REQUIRED",
      "EMAIL_TAKEN",
      "INTERNAL",
    ] as const satisfies readonly ErrorCode[]),
  ],
  passwordPurposes: ["sign-in", "reauth"] as const,
  lockoutScopes: ["strangers", "devices", "everyone"] as const,
  paymentOutcomes: ["succeeded", "retry", "failed", "missed"] as const,
};

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  /** A gauge read from the database when scraped; NaN when the query fails or times out (an alert on it sees "unknown", not a stale value). */
  const scraped = (name: string, help: string, read: () => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        try {
          this.set(await read());
        } catch (error) {
          log.warn("metrics: could not read a gauge", { metric: name, error: (error as Error).message });
          this.set(Number.NaN);
        }
      },
    });

  const metrics = {
    registry,
    httpRequests: new Counter({
      name: "wallet_http_requests_total",
      help: "HTTP requests answered, by route template (API paths, and form actions by their page), method and status",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "wallet_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route template and method",
      labelNames: ["route", "method"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    emailsSent: new Counter({
      name: "wallet_emails_sent_total",
      help: "Emails the SMTP server accepted, by template",
      labelNames: ["template"] as const,
      registers,
    }),
    emailsFailed: new Counter({
      name: "wallet_emails_failed_total",
      help: "Emails that could not be rendered or were refused by (or could not reach) the SMTP server, by template",
      labelNames: ["template"] as const,
      registers,
    }),
    emailRequests: new Counter({
      name: "wallet_email_requests_total",
      help: "Email requests (add or change an address) by kind and what happened to them, counted once committed",
      labelNames: ["kind", "event"] as const,
      registers,
    }),
    linkConfirmations: new Counter({
      name: "wallet_link_confirmations_total",
      help: "Email link confirmations by outcome: verified, old-confirmed, changed, or the error code",
      labelNames: ["outcome"] as const,
      registers,
    }),
    passwordFailures: new Counter({
      name: "wallet_password_failures_total",
      help: "Wrong passwords, by purpose (sign-in or reauth)",
      labelNames: ["purpose"] as const,
      registers,
    }),
    lockouts: new Counter({
      name: "wallet_lockouts_total",
      help: "Password lockouts set, by scope (strangers, devices, everyone)",
      labelNames: ["scope"] as const,
      registers,
    }),
    paymentOccurrences: new Counter({
      name: "wallet_payment_occurrences_total",
      help: "Scheduled-payment attempts that decided something, by outcome (succeeded, retry, failed, missed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    paymentLag: new Histogram({
      name: "wallet_payment_lag_seconds",
      help: "From a scheduled payment's due time to its execution (the app's clock), for payments made",
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600],
      registers,
    }),
    ledgerSum: scraped("wallet_ledger_postings_sum", "Sum of all ledger postings in paisa; must be 0", () =>
      gaugeReaders.ledgerPostingsSum(scrapeQuery),
    ),
    ledgerViolations: scraped("wallet_ledger_violations", "Rows of ledger_violations(): broken ledger promises; must be 0", () =>
      gaugeReaders.ledgerViolations(scrapeQuery),
    ),
    outboxUnpublished: scraped("wallet_outbox_unpublished", "Outbox events not yet published to Inngest", () =>
      gaugeReaders.outboxUnpublished(scrapeQuery),
    ),
    outboxOldestAge: scraped(
      "wallet_outbox_oldest_unpublished_age_seconds",
      "Age of the oldest unpublished outbox event (0 when none)",
      () => gaugeReaders.outboxOldestAgeSeconds(scrapeQuery),
    ),
    paymentsOverdue: scraped(
      "wallet_payments_overdue",
      `Active scheduled payments whose next run is more than ${PAYMENT_OVERDUE_MS / 60_000} minutes past due (the app's clock)`,
      async () => gaugeReaders.paymentsOverdue(scrapeQuery, await now()),
    ),
  };

  const k = KNOWN_LABELS;
  for (const template of k.templates) {
    metrics.emailsSent.inc({ template }, 0);
    metrics.emailsFailed.inc({ template }, 0);
  }
  for (const kind of k.emailRequestKinds) for (const event of k.emailRequestEvents) metrics.emailRequests.inc({ kind, event }, 0);
  for (const outcome of k.linkOutcomes) metrics.linkConfirmations.inc({ outcome }, 0);
  for (const purpose of k.passwordPurposes) metrics.passwordFailures.inc({ purpose }, 0);
  for (const scope of k.lockoutScopes) metrics.lockouts.inc({ scope }, 0);
  for (const outcome of k.paymentOutcomes) metrics.paymentOccurrences.inc({ outcome }, 0);
  return metrics;
}

/** One read-only query with a statement timeout of its own, so a slow table cannot hold a scrape (or a connection). */
async function scrapeQuery<T>(sql: string, ...values: unknown[]): Promise<T[]> {
  const [, rows] = await db.$transaction([
    db.$executeRawUnsafe(`SET LOCAL statement_timeout = ${COLLECT_TIMEOUT_MS}`),
    db.$queryRawUnsafe<T[]>(sql, ...values),
  ]);
  return rows;
}

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { walletMetrics?: Metrics };

export const metrics: Metrics = (globalForMetrics.walletMetrics ??= createMetrics());

/** Whether GET /api/metrics exists: only with a token configured. */
export const metricsEnabled = (): boolean => env.METRICS_TOKEN !== undefined;

/** The answer of /api/metrics without a token: the catch-all's 404, as for any path that does not exist. */
export const metricsAbsent = () => new AppError("NOT_FOUND", "There is no API at /api/metrics. See /api/openapi.json.");

/**
 * GET /api/metrics: the exposition text for a scraper holding METRICS_TOKEN.
 * Without a token configured the endpoint does not exist (404, like any
 * unknown path); with one, anything but the right bearer token is 401.
 */
export async function exposeMetrics(
  authorization: string | null,
  /** The configured token (tests pass their own; `undefined`: none configured). */
  config: { token: string | undefined } = { token: env.METRICS_TOKEN },
): Promise<{ text: string; contentType: string }> {
  const { token } = config;
  if (!token) throw metricsAbsent();
  // Compared in constant time (isOperator hashes both sides first).
  if (!isOperator(authorization, token)) throw new AppError("UNAUTHENTICATED", "A valid metrics token is required.");
  return { text: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}
