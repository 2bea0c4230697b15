import "server-only";
import nodemailer from "nodemailer";
import { db } from "@/server/db";
import { env } from "@/server/env";

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

export async function checkHealth() {
  const [database, smtp] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`),
    timed(() => nodemailer.createTransport(env.SMTP_URL).verify()),
  ]);
  const status = database.ok ? (smtp.ok ? "ok" : "degraded") : "down";
  return { status, checks: { database, smtp } } as const;
}
