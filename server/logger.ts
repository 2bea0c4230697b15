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

type SdkLogger = Record<Level, (...args: unknown[]) => void> & { child: (bindings: Record<string, unknown>) => SdkLogger };

const isFields = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Error);

/**
 * The same log in the shape the Inngest SDK calls (its `logger` option,
 * server/inngest.ts): Pino style, `(fields, message, ...rest)` or
 * `(message, ...rest)`. The SDK prints step and function errors through it
 * ("Inngest step error" with `{ err }`), and an error's text can carry a full
 * address (an SMTP 550, a unique violation): here it is redacted like every
 * other line. `child` is how the SDK adds the run's id and event name.
 */
export function sdkLogger(bindings: Record<string, unknown> = {}): SdkLogger {
  const at =
    (level: Level) =>
    (...args: unknown[]) => {
      const [first, second, ...rest] = args;
      const [fields, message, extra] =
        isFields(first) && typeof second === "string"
          ? [first, second, rest]
          : typeof first === "string"
            ? [{}, first, args.slice(1)]
            : [{}, "inngest", args];
      // The message is the SDK's, not ours: it is redacted too.
      write(level, redact(message) as string, { source: "inngest", ...bindings, ...fields, ...(extra.length > 0 ? { args: extra } : {}) });
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => sdkLogger({ ...bindings, ...more }),
  };
}
