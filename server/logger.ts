import "server-only";
import { maskEmail } from "@/lib/email-address";
import { env } from "@/server/env";

// Structured one-line JSON logs. Callers pass context objects; anything that
// looks like a secret is replaced before it is written, so a careless
// `log.info("x", { body })` cannot leak a password or a link token.

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY = /pass(word)?|token|secret|authorization|cookie|hash|signature/i;
const TOKEN_IN_URL = /([?&#](?:token|code)=)[^&#\s"]+/gi;
// Security rule (issue 10, item 9): SMTP replies ("550 <ram@example.com>…")
// and Prisma errors (a unique violation's key) carry full addresses; logs get
// the masked form. A masked address masks to itself.
const EMAIL_ADDRESS = /[^\s@"'<>()[\],;:]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/giu;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (typeof value === "string") return value.replace(TOKEN_IN_URL, "$1[redacted]").replace(EMAIL_ADDRESS, (address) => maskEmail(address));
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack, depth + 1) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? "[redacted]" : redact(item, depth + 1)]),
    );
  }
  return value;
}

function write(level: Level, message: string, context?: Record<string, unknown>) {
  if (order[level] < order[env.LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...(redact(context ?? {}) as object) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (message: string, context?: Record<string, unknown>) => write("debug", message, context),
  info: (message: string, context?: Record<string, unknown>) => write("info", message, context),
  warn: (message: string, context?: Record<string, unknown>) => write("warn", message, context),
  error: (message: string, context?: Record<string, unknown>) => write("error", message, context),
};
