import { afterAll, describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { signUp } from "@/server/accounts/sign-up";
import { NO_META } from "@/server/audit";
import { checkPassword } from "@/server/auth/check-password";
import { db, type Tx } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { reconcileEmailRequest } from "@/server/email-requests/reconcile-email-request";
import { sendEmail } from "@/server/mailer";
import { emailTemplateNames } from "@/emails/render";
import { exposeMetrics, gaugeReaders, KNOWN_LABELS, PAYMENT_OVERDUE_MS, type Read } from "@/server/metrics";
import { relaysSettled } from "@/server/outbox/relay";
import { executeOccurrence } from "@/server/payments/execute-occurrence";
import { createSchedule } from "@/server/payments/schedules";
import { topUp } from "@/server/wallet/top-up";
import { createUser, createVerifiedUser, requestsOf, uniqueEmail, uniquePhone } from "@/tests/support/factories";
import { confirmAsOwner, sendLink, startAdd, startChange } from "@/tests/support/flows";
import { growth, sample, scrape } from "@/tests/support/metrics";

// Each family of server/metrics.ts moves when its event happens: the real
// server functions on the real database, the registry's exposition text read
// before and after, as a scraper would read it.

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Everything personal the tests used: none of it may appear in a label. */
const personal = new Set<string>();
function remember<T extends { id: string; phone?: string; email?: string | null }>(value: T): T {
  for (const part of [value.id, value.phone, value.email]) if (part) personal.add(part);
  return value;
}
const user = async (options?: Parameters<typeof createUser>[0]) => remember(await createUser(options));

afterAll(async () => {
  await relaysSettled();
});

describe("emails", () => {
  const props = { fullName: "Test User", changedAt: "23 Nov 2026, 14:20 NPT" };

  it("counts an email the SMTP server accepted under its template", async () => {
    const to = uniqueEmail("metrics");
    personal.add(to);
    expect(
      await growth("wallet_emails_sent_total", { template: "password-changed" }, () =>
        sendEmail({ to, template: "password-changed", props }),
      ),
    ).toBe(1);
  });

  it("counts an email that could not be sent, and the send still fails", async () => {
    const failed = growth("wallet_emails_failed_total", { template: "password-changed" }, () =>
      expect(sendEmail({ to: "", template: "password-changed", props })).rejects.toThrow(),
    );
    expect(await failed).toBe(1);
  });
});

describe("email requests and link confirmations", () => {
  const requests = (event: string, kind = "add") => ({ kind, event });

  it("started: a signup with an address, and an add", async () => {
    const email = uniqueEmail("signup");
    personal.add(email);
    const phone = uniquePhone();
    personal.add(phone);
    expect(
      await growth("wallet_email_requests_total", requests("started"), () =>
        signUp({ phone, fullName: "Metric Person", password: "correct-horse-42", email, meta: NO_META }).then(remember),
      ),
    ).toBe(1);
    const someone = await user();
    expect(await growth("wallet_email_requests_total", requests("started"), () => startAdd(someone))).toBe(1);
  });

  it("superseded: a second request ends the first", async () => {
    const someone = await user();
    await startAdd(someone);
    expect(await growth("wallet_email_requests_total", requests("superseded"), () => startAdd(someone))).toBe(1);
  });

  it("cancelled", async () => {
    const someone = await user();
    await startAdd(someone);
    expect(
      await growth("wallet_email_requests_total", requests("cancelled"), () => cancelEmailRequest({ userId: someone.id, meta: NO_META })),
    ).toBe(1);
  });

  it("expired: once the workflow sees it past its expiry", async () => {
    const someone = await user();
    const { request } = await startAdd(someone);
    await db.emailRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await growth("wallet_email_requests_total", requests("expired"), () => reconcileEmailRequest({ requestId: request.id }))).toBe(
      1,
    );
  });

  it("confirmed, and the link's outcome: verified for an add, changed for a change (old-confirmed on the way)", async () => {
    const someone = await user();
    const { link } = await startAdd(someone);
    const before = await scrape();
    await confirmAsOwner(link.token);
    const after = await scrape();
    expect(
      sample(after, "wallet_email_requests_total", requests("confirmed")) -
        sample(before, "wallet_email_requests_total", requests("confirmed")),
    ).toBe(1);
    expect(
      sample(after, "wallet_link_confirmations_total", { outcome: "verified" }) -
        sample(before, "wallet_link_confirmations_total", { outcome: "verified" }),
    ).toBe(1);
  });

  it("a refused link counts under its error code and confirms nothing", async () => {
    const before = await scrape();
    await expect(confirmEmailLink({ token: "x".repeat(43), meta: NO_META })).rejects.toMatchObject({ code: "LINK_INVALID" });
    const after = await scrape();
    expect(
      sample(after, "wallet_link_confirmations_total", { outcome: "LINK_INVALID" }) -
        sample(before, "wallet_link_confirmations_total", { outcome: "LINK_INVALID" }),
    ).toBe(1);
    expect(sample(after, "wallet_email_requests_total", requests("confirmed"))).toBe(
      sample(before, "wallet_email_requests_total", requests("confirmed")),
    );
  });

  it("failed: the address was confirmed by another account first (EMAIL_TAKEN)", async () => {
    const email = uniqueEmail("contested");
    personal.add(email);
    const first = await user();
    const second = await user();
    const a = await startAdd(first, email);
    const b = await startAdd(second, email);
    await confirmAsOwner(a.link.token);
    const before = await scrape();
    await expect(confirmAsOwner(b.link.token)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
    const after = await scrape();
    expect(
      sample(after, "wallet_email_requests_total", requests("failed")) - sample(before, "wallet_email_requests_total", requests("failed")),
    ).toBe(1);
    expect(
      sample(after, "wallet_link_confirmations_total", { outcome: "EMAIL_TAKEN" }) -
        sample(before, "wallet_link_confirmations_total", { outcome: "EMAIL_TAKEN" }),
    ).toBe(1);
    expect((await requestsOf(second.id)).at(-1)!.status).toBe("failed");
  });

  it("a change: old-confirmed, then changed", async () => {
    const someone = remember(await createVerifiedUser());
    const { request, link, email } = await startChange(someone);
    personal.add(email);
    expect(await growth("wallet_link_confirmations_total", { outcome: "old-confirmed" }, () => confirmAsOwner(link.token))).toBe(1);
    const second = await sendLink(request.id);
    const before = await scrape();
    await confirmAsOwner(second.token);
    const after = await scrape();
    expect(
      sample(after, "wallet_link_confirmations_total", { outcome: "changed" }) -
        sample(before, "wallet_link_confirmations_total", { outcome: "changed" }),
    ).toBe(1);
    expect(
      sample(after, "wallet_email_requests_total", requests("confirmed", "change")) -
        sample(before, "wallet_email_requests_total", requests("confirmed", "change")),
    ).toBe(1);
  });
});

describe("passwords", () => {
  it("counts wrong passwords by purpose, and the lockout by scope", async () => {
    const someone = await user();
    const wrong = (purpose: "sign-in" | "reauth") =>
      checkPassword({ user: someone, password: "not-the-password", meta: NO_META, purpose }).then(
        () => "accepted",
        (error: { code: string }) => error.code,
      );
    expect(await growth("wallet_password_failures_total", { purpose: "sign-in" }, () => wrong("sign-in"))).toBe(1);
    expect(await growth("wallet_password_failures_total", { purpose: "reauth" }, () => wrong("reauth"))).toBe(1);
    const before = await scrape();
    const codes: string[] = [];
    for (let i = 2; i < rules.lockoutThreshold; i++) codes.push(await wrong("reauth"));
    // The threshold-th wrong password locks the account for strangers.
    codes.push(await wrong("reauth"));
    expect(codes.at(-1)).toBe("LOCKED");
    const after = await scrape();
    expect(
      sample(after, "wallet_lockouts_total", { scope: "strangers" }) - sample(before, "wallet_lockouts_total", { scope: "strangers" }),
    ).toBe(1);
  });
});

describe("scheduled payments", () => {
  async function schedule(options: { balance: number }) {
    const payer = await user();
    const recipient = await user({ fullName: "Gita Rai" });
    if (options.balance > 0) await topUp({ userId: payer.id, amount: options.balance });
    const firstRunAt = new Date(Date.now() + HOUR);
    const created = await createSchedule({
      user: payer,
      input: {
        toPhone: recipient.phone,
        amount: 1_000_00,
        note: "Rent",
        firstRunAt: firstRunAt.toISOString(),
        repeat: "monthly",
        password: payer.password,
      },
      meta: NO_META,
    });
    personal.add(created.id);
    return { payer, recipient, id: created.id, firstRunAt };
  }
  const run = async (id: string, at: Date) => {
    const current = await db.scheduledPayment.findUniqueOrThrow({ where: { id } });
    return executeOccurrence({ scheduleId: id, version: current.version, number: current.nextNumber, at });
  };
  const occurrences = (outcome: string) => ({ outcome });

  it("succeeded, with its lag from the due time on the app's clock", async () => {
    const { id, firstRunAt } = await schedule({ balance: 10_000_00 });
    const before = await scrape();
    expect(await run(id, new Date(firstRunAt.getTime() + 90_000))).toMatchObject({ outcome: "succeeded" });
    const after = await scrape();
    expect(
      sample(after, "wallet_payment_occurrences_total", occurrences("succeeded")) -
        sample(before, "wallet_payment_occurrences_total", occurrences("succeeded")),
    ).toBe(1);
    expect(sample(after, "wallet_payment_lag_seconds_count") - sample(before, "wallet_payment_lag_seconds_count")).toBe(1);
    expect(sample(after, "wallet_payment_lag_seconds_sum") - sample(before, "wallet_payment_lag_seconds_sum")).toBeCloseTo(90, 3);
    // 90 s falls in the 120 s bucket, not the 60 s one.
    expect(
      sample(after, "wallet_payment_lag_seconds_bucket", { le: "120" }) -
        sample(before, "wallet_payment_lag_seconds_bucket", { le: "120" }),
    ).toBe(1);
    expect(
      sample(after, "wallet_payment_lag_seconds_bucket", { le: "60" }) - sample(before, "wallet_payment_lag_seconds_bucket", { le: "60" }),
    ).toBe(0);
  });

  it("retry, then failed; neither is a payment made (no lag)", async () => {
    const { id, firstRunAt } = await schedule({ balance: 0 });
    const lagBefore = sample(await scrape(), "wallet_payment_lag_seconds_count");
    expect(await growth("wallet_payment_occurrences_total", occurrences("retry"), () => run(id, firstRunAt))).toBe(1);
    await run(id, new Date(firstRunAt.getTime() + HOUR));
    expect(
      await growth("wallet_payment_occurrences_total", occurrences("failed"), () => run(id, new Date(firstRunAt.getTime() + 6 * HOUR))),
    ).toBe(1);
    expect(sample(await scrape(), "wallet_payment_lag_seconds_count")).toBe(lagBefore);
  });

  it("missed: more than a day late", async () => {
    const { id, firstRunAt } = await schedule({ balance: 10_000_00 });
    expect(
      await growth("wallet_payment_occurrences_total", occurrences("missed"), () => run(id, new Date(firstRunAt.getTime() + DAY + 1))),
    ).toBe(1);
  });

  it("a stale run decides nothing and counts nothing", async () => {
    const { id, firstRunAt } = await schedule({ balance: 10_000_00 });
    const before = await scrape();
    expect(await executeOccurrence({ scheduleId: id, version: 99, number: 1, at: firstRunAt })).toEqual({ outcome: "stale" });
    const after = await scrape();
    for (const outcome of ["succeeded", "retry", "failed", "missed"])
      expect(sample(after, "wallet_payment_occurrences_total", { outcome })).toBe(
        sample(before, "wallet_payment_occurrences_total", { outcome }),
      );
  });

  it("wallet_payments_overdue: an active schedule whose next run is past due by more than the margin", async () => {
    const { id } = await schedule({ balance: 0 });
    await inSnapshot(async (read, tx) => {
      const overdue = () => gaugeReaders.paymentsOverdue(read, new Date());
      const before = await overdue();
      await tx.scheduledPayment.update({ where: { id }, data: { nextRunAt: new Date(Date.now() - PAYMENT_OVERDUE_MS - 60_000) } });
      expect(await overdue()).toBe(before + 1);
      // Within the margin it is not overdue yet; paused, not at all.
      await tx.scheduledPayment.update({ where: { id }, data: { nextRunAt: new Date(Date.now() - PAYMENT_OVERDUE_MS + 60_000) } });
      expect(await overdue()).toBe(before);
      await tx.scheduledPayment.update({ where: { id }, data: { nextRunAt: new Date(Date.now() - DAY), status: "paused" } });
      expect(await overdue()).toBe(before);
    });
  });
});

// The database gauges are read here through the same statements the registry
// runs (gaugeReaders), inside a REPEATABLE READ transaction that is rolled
// back: the other test files share this database and run at the same time,
// so the deltas must not see their commits, and they must never see a
// ledger broken on purpose (each file's teardown checks it).
class Rollback extends Error {}
async function inSnapshot(run: (read: Read, tx: Tx) => Promise<void>): Promise<void> {
  try {
    await db.$transaction(
      async (tx) => {
        await run((sql, ...values) => tx.$queryRawUnsafe(sql, ...values), tx);
        throw new Rollback();
      },
      { isolationLevel: "RepeatableRead" },
    );
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}

describe("scrape-time gauges", () => {
  it("are scraped from the database: the ledger at 0 with no violations, the outbox backlog, overdue payments", async () => {
    const text = await scrape();
    expect(sample(text, "wallet_ledger_postings_sum")).toBe(0);
    expect(sample(text, "wallet_ledger_violations")).toBe(0);
    for (const name of ["wallet_outbox_unpublished", "wallet_outbox_oldest_unpublished_age_seconds", "wallet_payments_overdue"])
      expect(text).toMatch(new RegExp(`^${name} \\d`, "m"));
  });

  it("the outbox backlog and the age of its oldest event", async () => {
    await inSnapshot(async (read, tx) => {
      const before = await gaugeReaders.outboxUnpublished(read);
      const row = await tx.outboxEvent.create({
        data: {
          name: "test/metrics.checked",
          data: {},
          eventId: `metrics-${crypto.randomUUID()}`,
          createdAt: new Date(Date.now() - 2 * HOUR),
        },
      });
      expect(await gaugeReaders.outboxUnpublished(read)).toBe(before + 1);
      // now() is the transaction's start, a moment before the row was written: two hours old is more than one.
      expect(await gaugeReaders.outboxOldestAgeSeconds(read)).toBeGreaterThan(HOUR / 1000);
      await tx.outboxEvent.update({ where: { id: row.id }, data: { publishedAt: new Date() } });
      expect(await gaugeReaders.outboxUnpublished(read)).toBe(before);
      expect(await gaugeReaders.outboxOldestAgeSeconds(read)).toBeLessThan(HOUR / 1000);
    });
  });

  it("the ledger's invariant moves when a posting breaks it", async () => {
    await inSnapshot(async (read, tx) => {
      expect(await gaugeReaders.ledgerPostingsSum(read)).toBe(0);
      expect(await gaugeReaders.ledgerViolations(read)).toBe(0);
      // An unbalanced posting can only be written with the ledger's triggers
      // off (session_replication_role, superuser); the rollback takes it out.
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      const entryId = crypto.randomUUID();
      const [wallet] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM wallets WHERE system_code = 'top_ups'`;
      await tx.$executeRaw`INSERT INTO ledger_entries (id, idempotency_key, kind) VALUES (${entryId}::uuid, ${`metrics-test:${entryId}`}, 'top_up')`;
      await tx.$executeRaw`INSERT INTO ledger_postings (entry_id, wallet_id, amount) VALUES (${entryId}::uuid, ${wallet!.id}::uuid, 7)`;
      expect(await gaugeReaders.ledgerPostingsSum(read)).toBe(7);
      // The entry does not sum to zero, and the wallet's balance no longer equals its postings.
      expect(await gaugeReaders.ledgerViolations(read)).toBe(2);
    });
  });

  it("process metrics are there", async () => {
    const text = await scrape();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });
});

describe("exposure", () => {
  it("is text for the right token, 401 for any other, and absent (404) without a token configured", async () => {
    const token = "t".repeat(40);
    const exposed = await exposeMetrics(`Bearer ${token}`, { token });
    expect(exposed.contentType).toMatch(/^text\/plain/);
    expect(exposed.text).toContain("# TYPE wallet_http_requests_total counter");
    await expect(exposeMetrics(`Bearer ${token}x`, { token })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(exposeMetrics(null, { token })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(exposeMetrics(`Bearer ${token}`, { token: undefined })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("every value a domain counter's labels can take is a series from the start, so rate() sees its first event", async () => {
    expect([...KNOWN_LABELS.templates].sort()).toEqual([...emailTemplateNames].sort());
    const text = await scrape();
    const series = (name: string, labels: Record<string, string>) =>
      `${name}{${Object.entries(labels)
        .map(([key, value]) => `${key}="${value}"`)
        .join(",")}}`;
    const expected = [
      ...KNOWN_LABELS.templates.flatMap((template) => [
        series("wallet_emails_sent_total", { template }),
        series("wallet_emails_failed_total", { template }),
      ]),
      ...KNOWN_LABELS.emailRequestKinds.flatMap((kind) =>
        KNOWN_LABELS.emailRequestEvents.map((event) => series("wallet_email_requests_total", { kind, event })),
      ),
      ...KNOWN_LABELS.linkOutcomes.map((outcome) => series("wallet_link_confirmations_total", { outcome })),
      ...KNOWN_LABELS.passwordPurposes.map((purpose) => series("wallet_password_failures_total", { purpose })),
      ...KNOWN_LABELS.lockoutScopes.map((scope) => series("wallet_lockouts_total", { scope })),
      ...KNOWN_LABELS.paymentOutcomes.map((outcome) => series("wallet_payment_occurrences_total", { outcome })),
    ];
    expect(expected).toHaveLength(24 + 12 + 11 + 2 + 3 + 4);
    for (const line of expected) expect(text, line).toContain(`${line} `);
  });

  it("no label carries an id, a phone number or an address", async () => {
    const text = await scrape();
    expect(personal.size).toBeGreaterThan(10);
    for (const value of personal) expect(text).not.toContain(value);
    // And nothing that looks like one.
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).not.toMatch(/\+977\d|@[a-z0-9-]+\.[a-z]/i);
  });
});
