import "server-only";
import nodemailer from "nodemailer";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { outboxBacklog } from "@/server/outbox/relay";

// Liveness of the app and what it depends on. The database is required; mail
// and the workflow engine degrade the product without stopping it, so they
// are reported but do not turn the status red.

type Check = { ok: boolean; latencyMs: number; error?: string };

async function timed(run: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await Promise.race([run(), new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), 2000))]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/**
 * Events unpublished for longer than this mean the relay cannot reach
 * Inngest (the post-commit relay sends within a second, the reconciliation
 * cron every minute): workflows are not starting, so the app is degraded.
 */
export const OUTBOX_STALE_MS = 2 * 60_000;

const outboxCheck = () =>
  timed(async () => {
    const { pending, oldestAgeMs } = await outboxBacklog();
    if (oldestAgeMs > OUTBOX_STALE_MS) throw new Error(`${pending} events unpublished, the oldest for ${Math.round(oldestAgeMs / 1000)} s`);
  });

export async function checkHealth() {
  const [database, smtp, outbox] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`),
    timed(() => nodemailer.createTransport(env.SMTP_URL).verify()),
    outboxCheck(),
  ]);
  const status = database.ok ? (smtp.ok && outbox.ok ? "ok" : "degraded") : "down";
  return { status, checks: { database, smtp, outbox } } as const;
}
