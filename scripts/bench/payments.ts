// Scheduled payments under load (issue 14, item 7): N one-off payments all due
// at the same instant, executed by the app's real workflows on the local
// engine through the real SDK; then the ledger is checked.
//
//   DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:54400/shared npm run bench:payments -- [options]
//
//   --occurrences N   payments due at the same minute (default 10000)
//   --payers P        payer wallets; occurrence k belongs to payer k mod P (default 2000, so 5 each)
//   --concurrency C   the engine's jobs at once (its --concurrency; default 16, the engine's default)
//   --pool-size S     the engine's PostgreSQL pool (default 10, the engine's default)
//   --timeout M       minutes the executions may take before the bench gives up (default 60)
//   --keep            keep the bench database (printed) instead of dropping it
//
// Without DATABASE_URL the embedded test PostgreSQL is started
// (scripts/lib/test-database.ts); a non-local DATABASE_URL is refused. A fresh
// database is created and migrated on that server and dropped at the end.
//
// Each payer pays its own recipient (no two payers lock the same recipient
// wallet, so the figures are the engine's and the app's, not one hot row's),
// is topped up with exactly what its schedules will take (so every balance
// ends at zero or at what was received), and has no email address (no mail is
// due; a mail catcher on a free port catches any that is sent anyway). The
// payments are due 1 hour ahead, so no reminder is planned.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startMailCatcher } from "@wallet/mail-catcher";
import { startInngestLocal } from "@wallet/inngest-local/testing";
import { applyMigrations } from "../lib/migrate";
import { scratchDatabase, testDatabaseServer } from "../lib/test-database";
import { allowServerOnlyModules } from "./server-only";

const OCCURRENCE_FUNCTION = "wallet-account-email-payment-occurrence";
const AMOUNT_PAISA = 100_00;
const DUE_IN_MS = 60 * 60 * 1000;
const MAX_SCHEDULES_PER_PAYER = 20;
const CHUNK = 1_000;

type Options = { occurrences: number; payers: number; concurrency: number; poolSize: number; timeoutMs: number; keep: boolean };

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      occurrences: { type: "string", default: "10000" },
      payers: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "16" },
      "pool-size": { type: "string", default: "10" },
      timeout: { type: "string", default: "60" },
      keep: { type: "boolean", default: false },
    },
  });
  const whole = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min)
      throw new Error(`--${name} must be a whole number of at least ${min} (got "${text}").`);
    return value;
  };
  const options = {
    occurrences: whole("occurrences", values.occurrences, 1),
    payers: whole("payers", values.payers, 1),
    concurrency: whole("concurrency", values.concurrency, 1),
    poolSize: whole("pool-size", values["pool-size"], 2),
    timeoutMs: whole("timeout", values.timeout, 1) * 60_000,
    keep: values.keep,
  };
  options.payers = Math.min(options.payers, options.occurrences);
  // The app refuses a 21st active schedule on one wallet; the bench keeps to what users can do.
  if (Math.ceil(options.occurrences / options.payers) > MAX_SCHEDULES_PER_PAYER) {
    throw new Error(
      `At most ${MAX_SCHEDULES_PER_PAYER} schedules per payer: use --payers ${Math.ceil(options.occurrences / MAX_SCHEDULES_PER_PAYER)} or more.`,
    );
  }
  return options;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms) / 1000;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Polls `read` until `done` holds, printing progress now and then; throws at the deadline. */
async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, show?: (value: T) => string) {
  const deadline = Date.now() + timeoutMs;
  let lastShown = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Gave up waiting for ${what} after ${seconds(timeoutMs)} s${show ? ` (${show(value)})` : ""}.`);
    if (show && Date.now() - lastShown > 10_000) {
      console.log(`  … ${what}: ${show(value)}`);
      lastShown = Date.now();
    }
    await sleep(200);
  }
}

async function main() {
  const options = parseOptions();
  const startedAt = new Date();
  const server = await testDatabaseServer();
  const database = `paybench_${process.pid}_${Date.now()}`;
  const cleanups: (() => Promise<void>)[] = [server.stop];
  const cleanup = async () => {
    for (const stop of cleanups.reverse()) await stop().catch((error: unknown) => console.error(String(error)));
  };

  try {
    const scratch = await scratchDatabase(server.url, database);
    if (!options.keep) cleanups.push(scratch.drop);
    const databaseUrl = new URL(scratch.url);
    await applyMigrations(scratch.url);
    const catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    cleanups.push(() => catcher.stop());

    // server/env.ts reads process.env once, at its first import, and the
    // Inngest client reads INNGEST_DEV when it is built: set them first.
    process.env.DATABASE_URL = databaseUrl.toString();
    process.env.APP_ENV = "local";
    process.env.SMTP_URL = catcher.smtpUrl;
    process.env.INNGEST_DEV = "1";
    // The relay's own warning lists every event name of a failed send: counted below instead.
    process.env.LOG_LEVEL ??= "error";
    allowServerOnlyModules();
    const [
      { db },
      { env },
      { inngest },
      { functions },
      { occurrenceDueEvent },
      { relayOutbox, outboxBacklog },
      { topUp },
      invariants,
      password,
    ] = await Promise.all([
      import("@/server/db"),
      import("@/server/env"),
      import("@/server/inngest"),
      import("@/inngest/functions"),
      import("@/server/payments/schedules"),
      import("@/server/outbox/relay"),
      import("@/server/wallet/top-up"),
      import("@/server/wallet/invariants"),
      import("@/server/auth/password"),
    ]);
    cleanups.push(() => db.$disconnect());

    const local = await startInngestLocal({
      databaseUrl: databaseUrl.toString(),
      client: inngest,
      functions,
      engine: { concurrency: options.concurrency, poolSize: options.poolSize },
    });
    cleanups.push(() => local.stop());
    // The app's clock follows the engine's (server/clock.ts), as in the e2e stack.
    env.TEST_CLOCK_URL = `${local.engine.url}/api/clock`;
    const engineDb = new pg.Pool({ connectionString: databaseUrl.toString(), max: 2, options: `-c search_path=${local.schema}` });
    cleanups.push(() => engineDb.end());
    const engineCount = async (sql: string, params: unknown[] = []) =>
      Number((await engineDb.query<{ n: string }>(sql, params)).rows[0]!.n);

    const { occurrences: n, payers: p } = options;
    const perPayer = Math.ceil(n / p);
    console.log(
      `Scheduled payments benchmark: ${n} occurrences due at the same instant, ${p} payers (up to ${perPayer} each), ` +
        `engine concurrency ${options.concurrency}, engine pool ${options.poolSize}; ${os.cpus().length} CPUs, Node ${process.version}; database ${database}`,
    );

    // 1. People: P payers and P recipients (bulk SQL; the users trigger gives each a wallet).
    let mark = performance.now();
    const passwordHash = await password.hashPassword(randomUUID());
    const phone = (offset: number) => `'+97798' || lpad((${offset} + g)::text, 8, '0')`;
    await db.$executeRawUnsafe(
      `INSERT INTO users (id, phone, full_name, password_hash, updated_at)
       SELECT gen_random_uuid(), ${phone(0)}, 'Bench payer ' || g, $1, now() FROM generate_series(1, $2::int) g`,
      passwordHash,
      p,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO users (id, phone, full_name, password_hash, updated_at)
       SELECT gen_random_uuid(), ${phone(50_000_000)}, 'Bench recipient ' || g, $1, now() FROM generate_series(1, $2::int) g`,
      passwordHash,
      p,
    );
    const rows = await db.$queryRaw<{ payer_id: string; payer_wallet: string; recipient_id: string; recipient_phone: string }[]>`
      SELECT pu.id::text AS payer_id, pw.id::text AS payer_wallet, ru.id::text AS recipient_id, ru.phone AS recipient_phone
        FROM users pu JOIN wallets pw ON pw.user_id = pu.id
        JOIN users ru ON ru.phone = '+97798' || lpad((50000000 + substr(pu.phone, 7)::int)::text, 8, '0')
       WHERE pu.full_name LIKE 'Bench payer %' ORDER BY pu.phone`;
    if (rows.length !== p) throw new Error(`expected ${p} payer/recipient pairs, found ${rows.length}`);
    const schedulesOf = (i: number) => Math.floor(n / p) + (i < n % p ? 1 : 0);
    const seedPeopleMs = performance.now() - mark;

    // 2. Balances through the app's top-up (a few at a time, as many clients would).
    mark = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < rows.length) {
          const i = next++;
          await topUp({ userId: rows[i]!.payer_id, amount: schedulesOf(i) * AMOUNT_PAISA, idempotencyKey: "bench" });
        }
      }),
    );
    const topUpMs = performance.now() - mark;

    // 3. N one-off schedules due at the same instant: what createSchedule writes
    // (schedule row, occurrence 1, audit row, the occurrence.due outbox event with
    // occurrenceDueEvent's id), in bulk: createSchedule re-hashes the password.
    mark = performance.now();
    const engineNow = (await local.client.clock()).nowMs;
    const dueAt = new Date(Math.ceil((engineNow + DUE_IN_MS) / 60_000) * 60_000);
    const schedules = Array.from({ length: n }, (_, k) => {
      const pair = rows[k % p]!;
      return { id: randomUUID(), version: 1, pair };
    });
    for (let start = 0; start < n; start += CHUNK) {
      const chunk = schedules.slice(start, start + CHUNK);
      await db.$transaction([
        db.scheduledPayment.createMany({
          data: chunk.map(({ id, pair }) => ({
            id,
            userId: pair.payer_id,
            toPhone: pair.recipient_phone,
            recipientId: pair.recipient_id,
            amount: AMOUNT_PAISA,
            note: "Bench",
            repeat: "none" as const,
            anchorAt: dueAt,
            remind: true,
            nextRunAt: dueAt,
          })),
        }),
        db.paymentOccurrence.createMany({ data: chunk.map(({ id }) => ({ scheduleId: id, number: 1, dueAt })) }),
        db.auditEvent.createMany({
          data: chunk.map(({ id, pair }) => ({ userId: pair.payer_id, action: "payment.scheduled" as const, details: { scheduleId: id } })),
        }),
        // The rows server/outbox/enqueue.ts writes, in the same order.
        db.outboxEvent.createMany({
          data: chunk.map((schedule) => {
            const event = occurrenceDueEvent(schedule, schedule.pair.payer_wallet, 1, dueAt);
            return { id: randomUUID(), name: event.name, data: event.data as object, eventId: event.id! };
          }),
        }),
      ]);
    }
    const seedSchedulesMs = performance.now() - mark;

    // 4. The outbox relayed to the engine, two relays at once (they claim with
    // SKIP LOCKED). A send the engine does not answer within the relay's
    // timeout is retried after its backoff; the event id makes the resend a no-op.
    mark = performance.now();
    let relayFailures = 0;
    await until(
      "the outbox to empty",
      async () => {
        const results = await Promise.all(Array.from({ length: 2 }, () => relayOutbox()));
        relayFailures += results.reduce((sum, result) => sum + (result.failed > 0 ? 1 : 0), 0);
        return (await outboxBacklog()).pending;
      },
      (pending) => pending === 0,
      options.timeoutMs,
      (pending) => `${pending} events left, ${relayFailures} sends failed so far`,
    );
    const relayMs = performance.now() - mark;

    // 5. Every run asleep until the due time.
    mark = performance.now();
    const sleeping = () =>
      engineCount(
        `SELECT count(DISTINCT j.run_id) AS n FROM jobs j JOIN runs r ON r.id = j.run_id
          WHERE j.kind = 'sleep' AND r.function_id = $1 AND r.status = 'running'`,
        [OCCURRENCE_FUNCTION],
      );
    await until(
      "every run to sleep",
      sleeping,
      (count) => count === n,
      options.timeoutMs,
      (count) => `${count}/${n} asleep`,
    );
    const asleepMs = performance.now() - mark;

    // 6. Time reaches the due minute: measure until every occurrence has succeeded.
    const succeeded = async () => {
      const [row] = await db.$queryRaw<{ succeeded: bigint; other: bigint }[]>`
        SELECT count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
               count(*) FILTER (WHERE status NOT IN ('scheduled', 'succeeded')) AS other
          FROM payment_occurrences`;
      return { succeeded: Number(row!.succeeded), other: Number(row!.other) };
    };
    console.log(
      `Seeded in ${seconds(performance.now() - mark + asleepMs + relayMs + seedSchedulesMs + topUpMs + seedPeopleMs)} s; moving the clock to the due time.`,
    );
    const advanceBy = dueAt.getTime() - (await local.client.clock()).nowMs;
    const advancedAt = performance.now();
    await local.client.advanceClock(advanceBy);
    const done = await until(
      "every occurrence to succeed",
      succeeded,
      (count) => count.succeeded + count.other === n,
      options.timeoutMs,
      (count) => `${count.succeeded}/${n} succeeded, ${count.other} otherwise ended or retrying`,
    );
    const totalMs = performance.now() - advancedAt;

    const lags = (
      await db.$queryRaw<{ lag_ms: number }[]>`
        SELECT (extract(epoch FROM executed_at - due_at) * 1000)::float8 AS lag_ms FROM payment_occurrences WHERE status = 'succeeded'`
    )
      .map((row) => row.lag_ms)
      .sort((a, b) => a - b);

    // 7. The runs the executions started (the notices) finish too: the engine's drain.
    await until(
      "the engine to finish every run",
      () =>
        engineCount(
          `SELECT count(*) AS n FROM runs WHERE status = 'running' AND function_id NOT LIKE '%relay%' AND function_id NOT LIKE '%reconcile%'`,
        ),
      (running) => running === 0,
      options.timeoutMs,
      (running) => `${running} runs still running`,
    );
    const drainedMs = performance.now() - advancedAt;

    // 8. The ledger.
    const violations = await invariants.ledgerViolations(db);
    const [counts] = await db.$queryRaw<
      {
        entries: bigint;
        missing: bigint;
        foreign: bigint;
        linked: bigint;
        completed: bigint;
        payers_not_zero: bigint;
        recipients_wrong: bigint;
      }[]
    >`
      SELECT
        (SELECT count(*) FROM ledger_entries WHERE kind = 'scheduled_payment') AS entries,
        (SELECT count(*) FROM scheduled_payments s
          WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.idempotency_key = 'schedule:' || s.id || ':1')) AS missing,
        (SELECT count(*) FROM ledger_entries e WHERE e.kind = 'scheduled_payment'
          AND NOT EXISTS (SELECT 1 FROM scheduled_payments s WHERE e.idempotency_key = 'schedule:' || s.id || ':1')) AS foreign,
        (SELECT count(*) FROM payment_occurrences o JOIN ledger_entries e ON e.id = o.entry_id
          WHERE o.status = 'succeeded' AND e.idempotency_key = 'schedule:' || o.schedule_id || ':1') AS linked,
        (SELECT count(*) FROM scheduled_payments WHERE status = 'completed') AS completed,
        (SELECT count(*) FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.full_name LIKE 'Bench payer %' AND w.balance <> 0) AS payers_not_zero,
        (SELECT count(*) FROM (
          SELECT w.balance, COALESCE(SUM(s.amount), 0) AS due FROM wallets w
            JOIN users u ON u.id = w.user_id LEFT JOIN scheduled_payments s ON s.recipient_id = u.id
           WHERE u.full_name LIKE 'Bench recipient %' GROUP BY w.id, w.balance) r WHERE r.balance <> r.due) AS recipients_wrong`;
    const mails = ((await (await fetch(`${catcher.inboxUrl}/api/messages`)).json()) as unknown[]).length;

    const checks = [
      {
        check: "every entry sums to zero, balances equal postings, no negative balance (ledgerViolations)",
        ok: violations.length === 0,
        detail: violations.length ? `${violations.length} violations, first: ${violations[0]!.rule}: ${violations[0]!.detail}` : "none",
      },
      {
        check: `exactly one entry per occurrence (key schedule:<id>:1): ${n} entries, none missing, none extra`,
        ok: Number(counts!.entries) === n && Number(counts!.missing) === 0 && Number(counts!.foreign) === 0,
        detail: `${counts!.entries} entries, ${counts!.missing} missing, ${counts!.foreign} extra`,
      },
      {
        check: "every occurrence succeeded and points at its entry",
        ok: done.succeeded === n && Number(counts!.linked) === n,
        detail: `${done.succeeded} succeeded, ${done.other} otherwise, ${counts!.linked} linked`,
      },
      { check: "every one-off schedule completed", ok: Number(counts!.completed) === n, detail: `${counts!.completed} completed` },
      {
        check: "payers end at zero, recipients at what they were sent",
        ok: Number(counts!.payers_not_zero) === 0 && Number(counts!.recipients_wrong) === 0,
        detail: `${counts!.payers_not_zero} payers and ${counts!.recipients_wrong} recipients off`,
      },
      { check: "no email sent (nobody has an address)", ok: mails === 0, detail: `${mails} caught` },
    ];
    const pass = checks.every((check) => check.ok);

    // Where the time went, from the engine's own history of the occurrence runs.
    const profile = (
      await engineDb.query<{ kind: string; count: string; avg_ms: number | null; p99_ms: number | null }>(
        `SELECT h.kind, count(*)::text AS count, avg(h.duration_ms)::float8 AS avg_ms,
                percentile_disc(0.99) WITHIN GROUP (ORDER BY h.duration_ms)::float8 AS p99_ms
           FROM run_history h JOIN runs r ON r.id = h.run_id
          WHERE r.function_id = $1 GROUP BY h.kind ORDER BY count(*) DESC`,
        [OCCURRENCE_FUNCTION],
      )
    ).rows.map((row) => ({
      kind: row.kind,
      count: Number(row.count),
      avgMs: row.avg_ms === null ? null : Math.round(row.avg_ms * 10) / 10,
      p99Ms: row.p99_ms,
    }));

    const runs = (
      await engineDb.query<{ function_id: string; status: string; count: string }>(
        "SELECT function_id, status, count(*)::text AS count FROM runs GROUP BY 1, 2 ORDER BY 1, 2",
      )
    ).rows.map((row) => ({ function: row.function_id, status: row.status, runs: Number(row.count) }));

    const result = {
      startedAt: startedAt.toISOString(),
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
      options: {
        occurrences: n,
        payers: p,
        schedulesPerPayer: perPayer,
        engineConcurrency: options.concurrency,
        enginePoolSize: options.poolSize,
        amountPaisa: AMOUNT_PAISA,
      },
      seeding: {
        peopleS: seconds(seedPeopleMs),
        topUpsS: seconds(topUpMs),
        schedulesS: seconds(seedSchedulesMs),
        relayS: seconds(relayMs),
        eventsRelayedPerS: Math.round(n / (relayMs / 1000)),
        allAsleepS: seconds(asleepMs),
        relaySendsFailed: relayFailures,
      },
      execution: {
        totalS: seconds(totalMs),
        executionsPerS: Math.round((n / (totalMs / 1000)) * 10) / 10,
        lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? NaN, min: lags[0] ?? NaN },
        engineDrainedS: seconds(drainedMs),
      },
      profile,
      runs,
      checks,
      pass,
    };

    console.log("");
    console.table({
      occurrences: n,
      payers: `${p} (up to ${perPayer} schedules each, concurrency 1 per payer wallet)`,
      "engine concurrency": options.concurrency,
      "time to execute them all": `${result.execution.totalS} s (from the clock advance to the last 'succeeded')`,
      "lag from due time, p50": `${seconds(result.execution.lagMs.p50)} s`,
      "lag from due time, p99": `${seconds(result.execution.lagMs.p99)} s (max ${seconds(result.execution.lagMs.max)} s)`,
      "executions per second": result.execution.executionsPerS,
      "engine drained (notices included)": `${result.execution.engineDrainedS} s`,
      "seeding: top-ups, schedules, relay, asleep": `${result.seeding.topUpsS} s, ${result.seeding.schedulesS} s, ${result.seeding.relayS} s (${result.seeding.eventsRelayedPerS} events/s, ${relayFailures} sends timed out), ${result.seeding.allAsleepS} s`,
      "load average (1, 5, 15 min)": result.machine.loadAverage.join(", "),
    });
    console.log("Occurrence runs, by history entry (the engine's run_history):");
    console.table(profile);
    console.log("Runs on the engine, by function and status:");
    console.table(runs);
    for (const check of checks) console.log(`${check.ok ? "PASS" : "FAIL"}  ${check.check}: ${check.detail}`);
    console.log(pass ? "PASS" : "FAIL");

    const dir = path.resolve(import.meta.dirname, "../../.data/bench");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `payments-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Written to ${path.relative(process.cwd(), file)}${options.keep ? `; database kept: ${database}` : ""}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(`bench:payments failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
