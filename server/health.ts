import "server-only";
import net from "node:net";
import tls from "node:tls";
import { createHash, timingSafeEqual } from "node:crypto";
import { rules } from "@/lib/rules";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { inngest } from "@/server/inngest";
import { outboxBacklog } from "@/server/outbox/relay";

// Liveness of the app and what it depends on. The database is required; mail
// and the workflow engine degrade the product without stopping it, so they
// are reported but do not turn the status red.
//
// GET /api/health is public (load balancers, uptime probes): it must be cheap
// whatever the rate of calls. Checks are cached (rules.healthCacheMs), and the
// SMTP relay is only greeted (connect, EHLO, QUIT) at most every
// rules.healthSmtpCheckMs: no login per hit, which would hammer the relay and
// could lock the account. The details of each check are for operators only
// (HEALTH_TOKEN): they name what is down and how slow, useful to an attacker.

export type Check = { ok: boolean; latencyMs: number; error?: string };
export type Health = { status: "ok" | "degraded" | "down"; checks: { database: Check; smtp: Check; outbox: Check; engine: Check } };

/** Every check gives up after this long: a frozen dependency makes the status degraded, never the endpoint hang. */
export const HEALTH_TIMEOUT_MS = 2000;
const TIMEOUT_MS = HEALTH_TIMEOUT_MS;

async function timed(run: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Connects to the relay, reads its greeting, says EHLO and QUIT: reachable and speaking SMTP, no credentials used. */
export function greetSmtp(smtpUrl: string): Promise<void> {
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  const port = Number(url.port) || (secure ? 465 : 25);
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host: url.hostname, port, servername: net.isIP(url.hostname) ? undefined : url.hostname })
      : net.connect({ host: url.hostname, port });
    let buffer = "";
    let stage: "greeting" | "ehlo" = "greeting";
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(TIMEOUT_MS, () => fail(new Error("timed out")));
    socket.on("error", fail);
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      // A reply is complete at a line "NNN " (multi-line replies use "NNN-").
      const last = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
      if (!last) return;
      const code = last[1];
      buffer = "";
      if (stage === "greeting") {
        if (code !== "220") return fail(new Error(`greeting ${code}`));
        stage = "ehlo";
        socket.write("EHLO health-check\r\n");
      } else {
        if (code !== "250") return fail(new Error(`EHLO ${code}`));
        // end(), not destroy(): QUIT is flushed before the socket closes.
        socket.end("QUIT\r\n");
        resolve();
      }
    });
  });
}

type Probe = { run: () => Promise<unknown>; everyMs: number; last?: { at: number; check: Promise<Check> } };

/**
 * Events unpublished for longer than this mean the relay cannot reach
 * Inngest (the post-commit relay sends within a second, the reconciliation
 * cron every minute): workflows are not starting, so the app is degraded.
 */
export const OUTBOX_STALE_MS = 2 * 60_000;

async function outboxFresh(): Promise<void> {
  const { pending, oldestAgeMs } = await outboxBacklog();
  if (oldestAgeMs > OUTBOX_STALE_MS) throw new Error(`${pending} events unpublished, the oldest for ${Math.round(oldestAgeMs / 1000)} s`);
}

/**
 * The workflow engine, at the event API the relay sends to (the SDK's own
 * base URL: INNGEST_DEV or INNGEST_BASE_URL, Inngest Cloud otherwise). The
 * local engine and Inngest's dev and self-hosted servers answer GET /health
 * (the local engine with 503 when its database is gone). Inngest Cloud
 * documents no health endpoint for its event API, so what is required is an
 * HTTP answer that is not a server error: reachable, and not failing. The
 * outbox check above says whether events actually get through.
 */
async function engineAnswers(): Promise<void> {
  const url = new URL("/health", inngest.eventBaseUrl);
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store", redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    // fetch says "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, …).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === "TimeoutError" ? "timed out" : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new Error(`workflow engine at ${url.origin}: ${why}`);
  }
  // Nothing in the body is needed; reading it frees the connection.
  await response.body?.cancel().catch(() => {});
  if (response.status >= 500) throw new Error(`workflow engine at ${url.origin}: HTTP ${response.status}`);
}

const probes = {
  database: { run: () => db.$queryRaw`SELECT 1`, everyMs: rules.healthCacheMs } as Probe,
  smtp: { run: () => greetSmtp(env.SMTP_URL), everyMs: rules.healthSmtpCheckMs } as Probe,
  outbox: { run: outboxFresh, everyMs: rules.healthCacheMs } as Probe,
  engine: { run: engineAnswers, everyMs: rules.healthCacheMs } as Probe,
};

/** The probe's last result if fresh enough; concurrent callers share one check in flight. */
function cached(probe: Probe, now: number): Promise<Check> {
  if (!probe.last || now - probe.last.at >= probe.everyMs) probe.last = { at: now, check: timed(probe.run) };
  return probe.last.check;
}

export async function checkHealth(now = Date.now()): Promise<Health> {
  const [database, smtp, outbox, engine] = await Promise.all([
    cached(probes.database, now),
    cached(probes.smtp, now),
    cached(probes.outbox, now),
    cached(probes.engine, now),
  ]);
  const status = database.ok ? (smtp.ok && outbox.ok && engine.ok ? "ok" : "degraded") : "down";
  return { status, checks: { database, smtp, outbox, engine } };
}

/** Forgets the cached checks (tests). */
export function resetHealthCache(): void {
  for (const probe of Object.values(probes)) delete probe.last;
}

/** Whether the request carries the operator token (`Authorization: Bearer <HEALTH_TOKEN>`); never without one configured. */
export function isOperator(authorization: string | null, token: string | undefined = env.HEALTH_TOKEN): boolean {
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  // Compared as digests: equal lengths for timingSafeEqual, and the time
  // taken says nothing about the token's length or its first characters.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(authorization.slice("Bearer ".length)), digest(token));
}
